using System.Text;
using Google.Protobuf.Reflection;

// Regenerates src/VectLite.Server/Grpc/Protos from the Qdrant.Client NuGet package (Apache-2.0): the package ships no
// .proto files, but every generated file class carries its FileDescriptor, which is the exact wire contract the client
// speaks. This prints those descriptors back as .proto text (without upstream's comments) and renames the C# namespace,
// so the server's generated types never clash with Qdrant.Client's in a process that loads both (the tests do).
//
//   dotnet run --project tools/QdrantProtos -- src/VectLite.Server/Grpc/Protos
string outDir = args.Length > 0 ? args[0] : "out";
const string Namespace = "VectLite.Server.Grpc.Messages";
Directory.CreateDirectory(outDir);
var asm = typeof(Qdrant.Client.Grpc.PointId).Assembly;
foreach (var t in asm.GetTypes().Where(t => t.Name.EndsWith("Reflection", StringComparison.Ordinal)).OrderBy(t => t.Name))
{
    if (t.GetProperty("Descriptor")?.GetValue(null) is not FileDescriptor fd || fd.Name.StartsWith("google/", StringComparison.Ordinal))
    {
        continue;
    }
    FileDescriptorProto proto = fd.ToProto();
    // qdrant.proto imports the service files only to gather them (protoc warns "unused import", which fails a build
    // with warnings as errors): keep just the imports whose types this file uses.
    var used = new HashSet<string>(Printer.ReferencedTypes(proto));
    var keep = fd.Dependencies.Where(d => d.MessageTypes.Any(m => used.Contains(m.FullName)) || d.EnumTypes.Any(e => used.Contains(e.FullName))).Select(d => d.Name).ToList();
    proto.Dependency.Clear();
    proto.Dependency.Add(keep);
    proto.Options ??= new Google.Protobuf.Reflection.FileOptions();
    proto.Options.CsharpNamespace = Namespace;
    File.WriteAllText(Path.Combine(outDir, fd.Name), Printer.Print(proto));
}

static class Printer
{
    public static IEnumerable<string> ReferencedTypes(FileDescriptorProto file)
    {
        foreach (var s in file.Service)
        {
            foreach (var m in s.Method)
            {
                yield return m.InputType.TrimStart('.');
                yield return m.OutputType.TrimStart('.');
            }
        }
        var stack = new Stack<DescriptorProto>(file.MessageType);
        while (stack.Count > 0)
        {
            var m = stack.Pop();
            foreach (var n in m.NestedType) stack.Push(n);
            foreach (var f in m.Field.Where(f => f.HasTypeName)) yield return f.TypeName.TrimStart('.');
        }
    }

    public static string Print(FileDescriptorProto file)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"syntax = \"{(string.IsNullOrEmpty(file.Syntax) ? "proto2" : file.Syntax)}\";");
        sb.AppendLine();
        foreach (string dep in file.Dependency)
        {
            sb.AppendLine($"import \"{dep}\";");
        }
        if (file.Dependency.Count > 0) sb.AppendLine();
        sb.AppendLine($"package {file.Package};");
        sb.AppendLine();
        if (file.Options?.HasCsharpNamespace == true) sb.AppendLine($"option csharp_namespace = \"{file.Options.CsharpNamespace}\";");
        if (file.Options?.HasJavaPackage == true) sb.AppendLine($"option java_package = \"{file.Options.JavaPackage}\";");
        if (file.Options?.HasGoPackage == true) sb.AppendLine($"option go_package = \"{file.Options.GoPackage}\";");
        if (file.Options?.HasJavaMultipleFiles == true) sb.AppendLine($"option java_multiple_files = {(file.Options.JavaMultipleFiles ? "true" : "false")};");
        if (file.Options?.HasJavaOuterClassname == true) sb.AppendLine($"option java_outer_classname = \"{file.Options.JavaOuterClassname}\";");
        if (file.Options?.HasObjcClassPrefix == true) sb.AppendLine($"option objc_class_prefix = \"{file.Options.ObjcClassPrefix}\";");
        sb.AppendLine();
        foreach (var s in file.Service)
        {
            sb.AppendLine($"service {s.Name} {{");
            foreach (var m in s.Method)
            {
                string cs = m.ClientStreaming ? "stream " : "";
                string ss = m.ServerStreaming ? "stream " : "";
                sb.AppendLine($"  rpc {m.Name}({cs}{Type(m.InputType, file.Package)}) returns ({ss}{Type(m.OutputType, file.Package)});");
            }
            sb.AppendLine("}");
            sb.AppendLine();
        }
        foreach (var e in file.EnumType) { Enum(sb, e, ""); sb.AppendLine(); }
        foreach (var m in file.MessageType) { Message(sb, m, "", file.Package, "." + file.Package); sb.AppendLine(); }
        return sb.ToString().TrimEnd() + "\n";
    }

    static string Type(string fullName, string package) =>
        fullName.StartsWith("." + package + ".", StringComparison.Ordinal) ? fullName[(package.Length + 2)..] : fullName.TrimStart('.');

    static void Enum(StringBuilder sb, EnumDescriptorProto e, string indent)
    {
        sb.AppendLine($"{indent}enum {e.Name} {{");
        if (e.Options?.HasAllowAlias == true && e.Options.AllowAlias) sb.AppendLine($"{indent}  option allow_alias = true;");
        foreach (var v in e.Value)
        {
            string opts = v.Options?.HasDeprecated == true && v.Options.Deprecated ? " [deprecated = true]" : "";
            sb.AppendLine($"{indent}  {v.Name} = {v.Number}{opts};");
        }
        sb.AppendLine($"{indent}}}");
    }

    static void Message(StringBuilder sb, DescriptorProto m, string indent, string package, string scope)
    {
        sb.AppendLine($"{indent}message {m.Name} {{");
        string inner = indent + "  ";
        if (m.Options?.HasDeprecated == true && m.Options.Deprecated) sb.AppendLine($"{inner}option deprecated = true;");
        var maps = m.NestedType.Where(n => n.Options?.MapEntry == true).ToDictionary(n => n.Name);
        foreach (var e in m.EnumType) Enum(sb, e, inner);
        foreach (var n in m.NestedType.Where(n => n.Options?.MapEntry != true)) Message(sb, n, inner, package, scope + "." + m.Name);
        foreach (var r in m.ReservedRange) sb.AppendLine($"{inner}reserved {(r.End - 1 == r.Start ? r.Start.ToString() : $"{r.Start} to {r.End - 1}")};");
        foreach (var r in m.ReservedName) sb.AppendLine($"{inner}reserved \"{r}\";");
        int? openOneof = null;
        foreach (var f in m.Field)
        {
            bool realOneof = f.HasOneofIndex && !f.Proto3Optional;
            if (openOneof is not null && (!realOneof || f.OneofIndex != openOneof))
            {
                sb.AppendLine($"{inner}}}");
                openOneof = null;
            }
            if (realOneof && openOneof != f.OneofIndex)
            {
                sb.AppendLine($"{inner}oneof {m.OneofDecl[f.OneofIndex].Name} {{");
                openOneof = f.OneofIndex;
            }
            string fi = realOneof ? inner + "  " : inner;
            string type;
            string label = "";
            string typeName = f.HasTypeName ? f.TypeName : "";
            string shortTypeName = typeName.Length > 0 ? typeName[(typeName.LastIndexOf('.') + 1)..] : "";
            if (f.Label == FieldDescriptorProto.Types.Label.Repeated && f.Type == FieldDescriptorProto.Types.Type.Message && maps.TryGetValue(shortTypeName, out var entry)
                && typeName == scope + "." + m.Name + "." + shortTypeName)
            {
                type = $"map<{Scalar(entry.Field[0], package)}, {Scalar(entry.Field[1], package)}>";
            }
            else
            {
                type = Scalar(f, package);
                if (f.Label == FieldDescriptorProto.Types.Label.Repeated) label = "repeated ";
                else if (f.Proto3Optional) label = "optional ";
                else if (f.Label == FieldDescriptorProto.Types.Label.Required) label = "required ";
            }
            var opts = new List<string>();
            if (f.Options?.HasDeprecated == true && f.Options.Deprecated) opts.Add("deprecated = true");
            if (f.Options?.HasPacked == true) opts.Add($"packed = {(f.Options.Packed ? "true" : "false")}");
            string optText = opts.Count > 0 ? $" [{string.Join(", ", opts)}]" : "";
            sb.AppendLine($"{fi}{label}{type} {f.Name} = {f.Number}{optText};");
        }
        if (openOneof is not null) sb.AppendLine($"{inner}}}");
        sb.AppendLine($"{indent}}}");
    }


    static string Scalar(FieldDescriptorProto f, string package) => f.Type switch
    {
        FieldDescriptorProto.Types.Type.Double => "double",
        FieldDescriptorProto.Types.Type.Float => "float",
        FieldDescriptorProto.Types.Type.Int64 => "int64",
        FieldDescriptorProto.Types.Type.Uint64 => "uint64",
        FieldDescriptorProto.Types.Type.Int32 => "int32",
        FieldDescriptorProto.Types.Type.Fixed64 => "fixed64",
        FieldDescriptorProto.Types.Type.Fixed32 => "fixed32",
        FieldDescriptorProto.Types.Type.Bool => "bool",
        FieldDescriptorProto.Types.Type.String => "string",
        FieldDescriptorProto.Types.Type.Bytes => "bytes",
        FieldDescriptorProto.Types.Type.Uint32 => "uint32",
        FieldDescriptorProto.Types.Type.Sfixed32 => "sfixed32",
        FieldDescriptorProto.Types.Type.Sfixed64 => "sfixed64",
        FieldDescriptorProto.Types.Type.Sint32 => "sint32",
        FieldDescriptorProto.Types.Type.Sint64 => "sint64",
        _ => Type(f.TypeName, package),
    };
}

using VectLite;

// Usage:
//   hold DB              opens DB for writing, prints "locked", and holds the lock until stdin closes.
// (The crash tests' writer child lives in tools/VectLite.CrashLoop.)
if (args.Length < 2 || args[0] != "hold")
{
    Console.Error.WriteLine("usage: hold DB");
    return 2;
}

using (Database.Open(args[1]))
{
    Console.Out.WriteLine("locked");
    Console.Out.Flush();
    Console.In.ReadToEnd();
}
return 0;

using System.CommandLine;
using VectLite.Cli;

var root = new RootCommand("vectlite: create, inspect, verify, compact and recover VectLite databases.")
{
    DemoCommand.Create(),
    InspectCommand.Create(),
    VerifyCommand.Create(),
    CompactCommand.Create(),
    RecoverCommand.Create(),
};
return root.Parse(args).Invoke();

using System.CommandLine;
using VectLite.Cli;

var root = new RootCommand("vectlite: create, inspect, verify and compact VectLite databases.")
{
    DemoCommand.Create(),
    InspectCommand.Create(),
    VerifyCommand.Create(),
    CompactCommand.Create(),
};
return root.Parse(args).Invoke();

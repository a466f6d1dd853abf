using System.CommandLine;
using Smets1Sim.Cli.Commands;

// Composition root of the smets1sim command: parsing and wiring only; the work lives in the libraries.
var root = new RootCommand("Smets1Sim: simulated SMETS1 DLMS/COSEM devices and key rotation")
{
    FleetCommands.Create(),
    ServeCommand.Create(),
    BenchCommand.Create(),
    StateCommands.Create(),
    HeadEndCommands.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

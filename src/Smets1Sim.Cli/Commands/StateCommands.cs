using System.CommandLine;
using Smets1Sim.Devices.State;

namespace Smets1Sim.Cli.Commands;

/// <summary><c>smets1sim state recommission</c>: deliberately start a device afresh whose state file is lost.</summary>
internal static class StateCommands
{
    public static Command Create()
    {
        var deviceId = new Argument<string>("DEVICE-ID") { Description = "Id of the device in the fleet file" };
        var stateDir = new Option<string>("--state-dir") { Description = "The state directory that served it", DefaultValueFactory = _ => "smets1sim-state" };
        var recommission = new Command("recommission", "Start a device whose state file is lost afresh, with its commissioning keys and server invocation counters far above any it sent")
        {
            deviceId, stateDir,
        };
        recommission.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            string id = result.GetValue(deviceId)!;
            var store = new DeviceStateStore(result.GetValue(stateDir)!);
            if (File.Exists(store.PathOf(id)))
            {
                throw new UsageException($"{store.PathOf(id)}: device {id} has its state; re-commissioning is for a device whose state file is lost");
            }

            int count;
            try
            {
                count = store.Manifest.Recommission(id);
            }
            catch (InvalidOperationException ex)
            {
                throw new UsageException(ex.Message);
            }

            Console.WriteLine($"device {id} starts afresh at the next serve (re-commission {count}): commissioning keys, server invocation counter from {ServedManifest.OutgoingFloor(count)}");
            return Task.FromResult(0);
        }));
        return new Command("state", "Manage a state directory") { recommission };
    }
}

using System.CommandLine;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Profiles;

namespace Smets1Sim.Cli.Commands;

/// <summary><c>smets1sim fleet init</c>: generate a fleet file with fresh keys.</summary>
internal static class FleetCommands
{
    public static Command Create()
    {
        var premises = new Option<int>("--premises") { Description = "Number of premises", DefaultValueFactory = _ => 1 };
        var types = new Option<string>("--types") { Description = "Device types per premises, comma-separated", DefaultValueFactory = _ => string.Join(',', ProfileLoader.ShippedTypes) };
        var mode = new Option<string>("--mode") { Description = "hub (one endpoint per premises) or per-device", DefaultValueFactory = _ => "hub" };
        var host = new Option<string>("--host") { Description = "Address the devices listen on", DefaultValueFactory = _ => "127.0.0.1" };
        var basePort = new Option<int>("--base-port") { Description = "First TCP port (0 = chosen at serve time)", DefaultValueFactory = _ => 4059 };
        var manufacturer = new Option<string>("--manufacturer") { Description = "Three-letter manufacturer code of the system titles", DefaultValueFactory = _ => "SMS" };
        var within = new Option<int>("--commissioned-within-days") { Description = "Spread commissioning times over the last N days (0 = now)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Fleet file to write", DefaultValueFactory = _ => "fleet.json" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing fleet file" };
        var profiles = new Option<string?>("--profiles") { Description = "Directory of device profiles (default: the shipped ones)" };
        var serialBase = new Option<long?>("--serial-base") { Description = "Serial of the first device (system titles, logical device names); default random, so fleets do not collide" };
        var init = new Command("init", "Generate a fleet file: premises, addresses, system titles and fresh unique keys")
        {
            premises, types, mode, host, basePort, manufacturer, within, output, force, profiles, serialBase,
        };
        init.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            string path = result.GetValue(output)!;
            if (File.Exists(path) && !result.GetValue(force))
            {
                throw new UsageException($"{path} exists: keys in it may be in use; pass --force to replace it");
            }

            IReadOnlyDictionary<string, DeviceProfile> loaded = LoadProfiles(result.GetValue(profiles));
            FleetFile fleet = Generate(new FleetOptions
            {
                Premises = result.GetValue(premises),
                DeviceTypes = [.. result.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Mode = result.GetValue(mode)!,
                Host = result.GetValue(host)!,
                BasePort = result.GetValue(basePort),
                ManufacturerCode = result.GetValue(manufacturer)!,
                CommissionedWithinDays = result.GetValue(within),
                SerialBase = result.GetValue(serialBase),
            }, loaded);
            FleetFileStore.Write(path, fleet);
            Console.WriteLine($"wrote {path}: {fleet.Devices.Count} devices at {fleet.Devices.Select(d => d.PremisesId).Distinct().Count()} premises (owner-only permissions: it holds keys)");
            return Task.FromResult(0);
        }));
        return new Command("fleet", "Manage fleet files") { init };
    }

    internal static IReadOnlyDictionary<string, DeviceProfile> LoadProfiles(string? directory)
        => directory is null ? ProfileLoader.LoadAllEmbedded() : ProfileLoader.LoadDirectory(directory);

    internal static FleetFile Generate(FleetOptions options, IReadOnlyDictionary<string, DeviceProfile> profiles)
    {
        if (options.BasePort is < 0 or > 65535)
        {
            throw new UsageException($"--base-port {options.BasePort} is not a TCP port");
        }

        try
        {
            return FleetGenerator.Generate(options, profiles, TimeProvider.System);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message.Split(" (Parameter", 2)[0]);
        }
    }
}

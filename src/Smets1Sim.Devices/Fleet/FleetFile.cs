using System.Text.Json.Serialization;
using Smets1Sim.Devices.Profiles;

namespace Smets1Sim.Devices.Fleet;

/// <summary>
/// A fleet of simulated premises and devices (docs/fleet-file.md): what <c>smets1sim serve</c> runs and what a
/// head-end imports. Holds the devices' initial keys; written with owner-only permissions.
/// </summary>
public sealed record FleetFile
{
    /// <summary>Format version (1).</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>When the fleet was generated.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>"hub" (one endpoint per premises) or "per-device" (one endpoint per device).</summary>
    public string Mode { get; init; } = "hub";

    /// <summary>Every device.</summary>
    public IReadOnlyList<FleetDevice> Devices { get; init; } = [];
}

/// <summary>One simulated device of a fleet.</summary>
public sealed record FleetDevice
{
    /// <summary>Unique id, e.g. "P0001-ESME".</summary>
    public required string Id { get; init; }

    /// <summary>The premises it belongs to.</summary>
    public required string PremisesId { get; init; }

    /// <summary>Device type (a profile type: chf, esme, gpf, ppmid).</summary>
    public required string Type { get; init; }

    /// <summary>Host of its TCP endpoint.</summary>
    public required string Host { get; init; }

    /// <summary>Port of its TCP endpoint (0 = chosen by the server at start).</summary>
    public required int Port { get; init; }

    /// <summary>Wrapper wPort of the logical device.</summary>
    public required int WPort { get; init; }

    /// <summary>Logical device name (COSEM 0-0:42.0.0.255).</summary>
    public required string LogicalDeviceName { get; init; }

    /// <summary>Server system title, 16 hex digits.</summary>
    public required string ServerSystemTitle { get; init; }

    /// <summary>Global unicast encryption key EK at commissioning, 32 hex digits.</summary>
    public required string Ek { get; init; }

    /// <summary>Authentication key AK at commissioning, 32 hex digits.</summary>
    public required string Ak { get; init; }

    /// <summary>Master key KEK at commissioning, 32 hex digits.</summary>
    public required string Kek { get; init; }

    /// <summary>Commissioning time (ISO 8601).</summary>
    public required DateTimeOffset CommissionedAt { get; init; }

    /// <summary>OBIS code of the management client's security setup object.</summary>
    public string SecuritySetup { get; init; } = "0-0:43.0.0.255";

    /// <summary>OBIS code of the management client's invocation counter object.</summary>
    public string InvocationCounter { get; init; } = "0-0:43.1.0.255";

    /// <summary>Client SAP of the management (HLS-GMAC) client.</summary>
    public int ManagementClientSap { get; init; } = 1;

    /// <summary>Client SAP of the public (unsecured) client.</summary>
    public int PublicClientSap { get; init; } = 16;

    /// <summary>Faults to inject (overrides the profile's).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FaultOptions? Faults { get; init; }
}

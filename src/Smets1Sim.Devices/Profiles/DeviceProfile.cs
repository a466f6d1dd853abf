using System.Collections.Frozen;
using Smets1Sim.Cosem;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Profiles;

/// <summary>What a device type looks like: its address, associations, objects and behaviour (validated).</summary>
public sealed record DeviceProfile
{
    /// <summary>"chf", "esme", "gpf" or "ppmid".</summary>
    public required string Type { get; init; }

    /// <summary>Human description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>The logical device address behind the premises endpoint.</summary>
    public required ushort WPort { get; init; }

    /// <summary>Logical device name pattern: {manufacturer} (3 letters), {type} (upper case), {serial} (decimal, :D8 etc.).</summary>
    public required string LogicalDeviceNamePattern { get; init; }

    /// <summary>When keys from key_transfer take effect.</summary>
    public KeyActivation KeyActivation { get; init; } = KeyActivation.NextAssociation;

    /// <summary>The associations the device accepts.</summary>
    public required IReadOnlyList<AssociationProfile> Associations { get; init; }

    /// <summary>The COSEM objects.</summary>
    public required IReadOnlyList<ObjectProfile> Objects { get; init; }

    /// <summary>Default faults of this device type (a fleet entry overrides them).</summary>
    public FaultOptions? Faults { get; init; }

    /// <summary>Where the profile came from (file name or "embedded:esme").</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>Access rights of association <paramref name="association"/> to every object it can see.</summary>
    public FrozenDictionary<ObisCode, AccessRights> RightsFor(AssociationProfile association)
    {
        ArgumentNullException.ThrowIfNull(association);
        var rights = new Dictionary<ObisCode, AccessRights>();
        foreach (ObjectProfile o in Objects)
        {
            CosemClassCatalog.TryGet(o.ClassId, out CosemClassInfo info);
            var attributes = new AttributeAccess[info.AttributeCount];
            var methods = new MethodAccess[info.MethodCount];
            for (int i = 0; i < attributes.Length; i++)
            {
                attributes[i] = association.DefaultAccess switch
                {
                    DefaultAccess.ReadWrite when i > 0 => AttributeAccess.ReadWrite,
                    DefaultAccess.Read or DefaultAccess.ReadWrite => AttributeAccess.Read,
                    _ => AttributeAccess.NoAccess,
                };
            }

            for (int i = 0; i < methods.Length; i++)
            {
                methods[i] = association.DefaultAccess == DefaultAccess.ReadWrite ? MethodAccess.Access : MethodAccess.NoAccess;
            }

            if (o.Access.TryGetValue(association.Name, out ObjectAccessProfile? over))
            {
                foreach ((int id, AttributeAccess mode) in over.Attributes)
                {
                    attributes[id - 1] = mode;
                }

                foreach ((int id, bool allowed) in over.Methods)
                {
                    methods[id - 1] = allowed ? MethodAccess.Access : MethodAccess.NoAccess;
                }

                if (over.Hidden)
                {
                    continue;
                }
            }

            if (attributes.Any(a => a != AttributeAccess.NoAccess) || methods.Any(m => m != MethodAccess.NoAccess))
            {
                rights[o.LogicalName] = new AccessRights([.. attributes], [.. methods]);
            }
        }

        return rights.ToFrozenDictionary();
    }
}

/// <summary>Default access of an association to objects that do not say otherwise.</summary>
public enum DefaultAccess
{
    /// <summary>Objects are invisible unless an object grants access.</summary>
    None,
    /// <summary>Every attribute readable.</summary>
    Read,
    /// <summary>Every attribute but the logical name writable, every method allowed.</summary>
    ReadWrite,
}

/// <summary>One association a device accepts.</summary>
public sealed record AssociationProfile
{
    /// <summary>Name that object access entries refer to.</summary>
    public required string Name { get; init; }

    /// <summary>Client SAP.</summary>
    public required ushort ClientSap { get; init; }

    /// <summary>Authentication mechanism.</summary>
    public AuthenticationMechanism Mechanism { get; init; }

    /// <summary>LN with ciphering.</summary>
    public bool Ciphered { get; init; }

    /// <summary>Security policy flags.</summary>
    public SecurityPolicy SecurityPolicy { get; init; }

    /// <summary>Security setup object (required when ciphered).</summary>
    public ObisCode? SecuritySetup { get; init; }

    /// <summary>Invocation counter object.</summary>
    public ObisCode? InvocationCounter { get; init; }

    /// <summary>Largest APDU the device accepts from this client.</summary>
    public ushort MaxPduSize { get; init; } = 1024;

    /// <summary>Default access to objects.</summary>
    public DefaultAccess DefaultAccess { get; init; }

    /// <summary>LLS password (mechanism 1).</summary>
    public string? LlsSecret { get; init; }
}

/// <summary>One COSEM object of a profile.</summary>
public sealed record ObjectProfile
{
    /// <summary>Logical name.</summary>
    public required ObisCode LogicalName { get; init; }

    /// <summary>Interface class id.</summary>
    public required ushort ClassId { get; init; }

    /// <summary>Optional human name.</summary>
    public string? Name { get; init; }

    /// <summary>Initial attribute values.</summary>
    public required IReadOnlyDictionary<int, DlmsValue> Attributes { get; init; }

    /// <summary>Access overrides by association name.</summary>
    public required IReadOnlyDictionary<string, ObjectAccessProfile> Access { get; init; }

    /// <summary>Registers: value increase per hour.</summary>
    public double LiveRatePerHour { get; init; }
}

/// <summary>Access overrides of one association to one object.</summary>
public sealed record ObjectAccessProfile(IReadOnlyDictionary<int, AttributeAccess> Attributes, IReadOnlyDictionary<int, bool> Methods, bool Hidden);

/// <summary>Faults a device shows (fault injection), from a profile or a fleet entry.</summary>
public sealed record FaultOptions
{
    /// <summary>Where to drop the connection, if anywhere.</summary>
    public FaultPoint? DropConnectionAt { get; init; }

    /// <summary>Delay before each response.</summary>
    public int DelayResponsesMs { get; init; }

    /// <summary>Refuse key_transfer with temporary-failure.</summary>
    public bool RefuseKeyTransfer { get; init; }

    /// <summary>Lose power after accepting key_transfer, before storing it.</summary>
    public bool PowerLossBeforePersist { get; init; }

    /// <summary>Each fault fires once, then clears.</summary>
    public bool OnlyOnce { get; init; } = true;

    /// <summary>key_transfer accepts weak or duplicated keys (for testing head-ends that send them).</summary>
    public bool AcceptWeakKeys { get; init; }

    /// <summary>The runtime plan.</summary>
    public FaultPlan ToPlan() => new(DropConnectionAt, TimeSpan.FromMilliseconds(DelayResponsesMs), RefuseKeyTransfer, PowerLossBeforePersist, OnlyOnce, AcceptWeakKeys);
}

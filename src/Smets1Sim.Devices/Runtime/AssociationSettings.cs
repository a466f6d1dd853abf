using System.Collections.Frozen;
using Smets1Sim.Cosem;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Runtime;

/// <summary>How one client SAP may associate with a logical device, and what it may then access.</summary>
public sealed record AssociationSettings
{
    /// <summary>Name used in profiles ("public", "management").</summary>
    public required string Name { get; init; }

    /// <summary>Client SAP (the wrapper source wPort).</summary>
    public required ushort ClientSap { get; init; }

    /// <summary>Authentication mechanism required.</summary>
    public AuthenticationMechanism Mechanism { get; init; } = AuthenticationMechanism.None;

    /// <summary>True when the association uses the LN-with-ciphering context.</summary>
    public bool Ciphered { get; init; }

    /// <summary>LLS secret (mechanism 1), when used.</summary>
    public ReadOnlyMemory<byte>? LlsSecret { get; init; }

    /// <summary>Logical name of the security setup object of this association.</summary>
    public ObisCode? SecuritySetup { get; init; }

    /// <summary>Logical name of the invocation counter object (Data) of this association.</summary>
    public ObisCode? InvocationCounterObject { get; init; }

    /// <summary>Largest APDU the server accepts.</summary>
    public ushort ServerMaxReceivePduSize { get; init; } = 1024;

    /// <summary>Services the server offers; the negotiated block is the intersection with the client's.</summary>
    public Conformance Conformance { get; init; } = DefaultConformance;

    /// <summary>Access rights by logical name; objects not listed are invisible to this association.</summary>
    public required FrozenDictionary<ObisCode, AccessRights> Rights { get; init; }

    /// <summary>What a SMETS1 device offers a head-end by default.</summary>
    public const Conformance DefaultConformance =
        Conformance.Get | Conformance.Set | Conformance.Action | Conformance.SelectiveAccess
        | Conformance.BlockTransferWithGetOrRead | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction
        | Conformance.MultipleReferences | Conformance.GeneralProtection;
}

using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem;

/// <summary>
/// What an object may ask of the device and association it is served from. The device layer implements
/// the hooks; the COSEM layer never sees sockets, keys stores or persistence.
/// </summary>
public sealed class CosemContext
{
    /// <summary>Creates a context.</summary>
    public CosemContext(TimeProvider time, IAssociationView association, ISecurityHost? security = null)
    {
        Time = time ?? throw new ArgumentNullException(nameof(time));
        Association = association ?? throw new ArgumentNullException(nameof(association));
        Security = security;
    }

    /// <summary>The device clock source.</summary>
    public TimeProvider Time { get; }

    /// <summary>The association the request arrived on.</summary>
    public IAssociationView Association { get; }

    /// <summary>The security services of the logical device, when it has any.</summary>
    public ISecurityHost? Security { get; }
}

/// <summary>The current association as seen by Association LN (class 15) "current association" 0-0:40.0.0.255.</summary>
public interface IAssociationView
{
    /// <summary>Client SAP of the association.</summary>
    ushort ClientSap { get; }

    /// <summary>Server SAP (logical device address) of the association.</summary>
    ushort ServerSap { get; }

    /// <summary>The objects visible to this association, with their access rights (attribute 2 object_list).</summary>
    IReadOnlyList<ObjectListEntry> ObjectList { get; }

    /// <summary>Negotiated application context name id (1 LN, 3 LN with ciphering).</summary>
    byte ApplicationContextId { get; }

    /// <summary>Authentication mechanism id (0 none, 1 LLS, 5 HLS-GMAC).</summary>
    byte MechanismId { get; }

    /// <summary>0 non-associated, 1 association-pending (HLS pass 3/4 not done), 2 associated.</summary>
    byte AssociationStatus { get; }

    /// <summary>Negotiated conformance block (24 bits), server max receive PDU, DLMS version.</summary>
    (uint Conformance, ushort MaxReceivePduSize, byte DlmsVersion) XdlmsContext { get; }

    /// <summary>Logical name of the security setup object this association uses, when secured.</summary>
    ObisCode? SecuritySetupReference { get; }

    /// <summary>
    /// HLS pass 3/4 (Association LN method 1, reply_to_HLS_authentication): verifies the client's f(StoC) and
    /// returns the server's f(CtoS), or a failed outcome.
    /// </summary>
    ActionOutcome ReplyToHlsAuthentication(DlmsValue? parameters);
}

/// <summary>One object_list entry (Blue Book 4.4.3): class, version, logical name, access rights.</summary>
public sealed record ObjectListEntry(ushort ClassId, byte Version, ObisCode LogicalName, AccessRights Rights);

/// <summary>The security services a Security setup object (class 64) delegates to its device.</summary>
public interface ISecurityHost
{
    /// <summary>Security policy (version 1 flags).</summary>
    SecurityPolicy SecurityPolicy { get; }

    /// <summary>Security suite (0).</summary>
    byte SecuritySuite { get; }

    /// <summary>Client system title seen on the current association, if any.</summary>
    ReadOnlyMemory<byte> ClientSystemTitle { get; }

    /// <summary>This device's system title.</summary>
    ReadOnlyMemory<byte> ServerSystemTitle { get; }

    /// <summary>security_activate (method 1): only strengthening the policy is allowed.</summary>
    ActionResult SecurityActivate(byte policy);

    /// <summary>
    /// key_transfer (method 2): each entry is (key id, RFC 3394-wrapped key under the current KEK). Atomic: either
    /// every key is accepted (and durably recorded) or none changes.
    /// </summary>
    ActionResult KeyTransfer(IReadOnlyList<(byte KeyId, ReadOnlyMemory<byte> WrappedKey)> keys);
}

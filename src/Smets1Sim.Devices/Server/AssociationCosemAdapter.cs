using Smets1Sim.Cosem;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Policy = Smets1Sim.Dlms.Security.SecurityPolicy;

namespace Smets1Sim.Devices.Server;

/// <summary>
/// What the COSEM objects see of an association: the current association (class 15) view, and the security host
/// behind Security setup (class 64): HLS pass 3/4 and key_transfer.
/// </summary>
internal sealed class AssociationCosemAdapter : IAssociationView, ISecurityHost
{
    private readonly ServerAssociation _association;
    private readonly AccessResolver _access;

    public AssociationCosemAdapter(ServerAssociation association, AccessResolver access, TimeProvider time)
    {
        _association = association;
        _access = access;
        Context = new CosemContext(time, this, this);
    }

    /// <summary>The context COSEM methods of this association run in.</summary>
    public CosemContext Context { get; }

    private LogicalDevice Device => _association.Device;

    // ---- IAssociationView ----------------------------------------------------------------------------------

    public ushort ClientSap => _association.Settings.ClientSap;

    public ushort ServerSap => Device.Identity.WPort;

    public IReadOnlyList<ObjectListEntry> ObjectList => _access.ObjectList;

    public byte ApplicationContextId => (byte)AssociationEstablishment.ContextOf(_association.Settings);

    public byte MechanismId => (byte)_association.Settings.Mechanism;

    byte IAssociationView.AssociationStatus => (byte)_association.Status;

    public (uint Conformance, ushort MaxReceivePduSize, byte DlmsVersion) XdlmsContext
        => ((uint)_association.Negotiated, _association.Settings.ServerMaxReceivePduSize, 6);

    public ObisCode? SecuritySetupReference => _association.Settings.SecuritySetup;

    /// <summary>
    /// HLS pass 3/4 (Green Book 9.2.7.4, mechanism 5). The IC inside f(StoC) may equal the IC of the APDU that
    /// carries it, or be a separate one below or above it (clients differ; docs/dlms-wire.md section 3): any IC not
    /// accepted before from this client under these keys is accepted. The server's f(CtoS) uses an IC of its own,
    /// distinct from the one protecting the response. A refusal is an action-result (read-write-denied), logged
    /// with its reason; the association is then unusable.
    /// </summary>
    public ActionOutcome ReplyToHlsAuthentication(DlmsValue? parameters)
    {
        RequestProtection carrier = _association.Carrier;
        HlsRefusal? refusal = _association.Status != AssociationStatus.Pending ? HlsRefusal.NotPending
            : !carrier.Ciphered ? HlsRefusal.CarrierNotCiphered
            : parameters is not DlmsOctetString { Value.Length: HlsGmac.ResponseLength } ? HlsRefusal.MalformedResponse
            : VerifyFStoC(((DlmsOctetString)parameters).Span, carrier);
        if (refusal is HlsRefusal reason)
        {
            _association.Status = AssociationStatus.NonAssociated;
            ServerLog.HlsPass3Refused(_association.Logger, Device.Identity.Id, ClientSap, reason);
            if (reason is HlsRefusal.TagMismatch or HlsRefusal.InvocationCounterReused)
            {
                Device.RecordEvent(DeviceEvent.AuthenticationFailed);
            }

            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        byte[] reply = HlsGmac.ComputeResponse(Device.Security.Cipher, Device.Identity.SystemTitle, Device.Security.NextOutgoing(), _association.ClientChallenge);
        _association.Status = AssociationStatus.Associated;
        return ActionOutcome.Success(DlmsValue.OctetString(reply));
    }

    private HlsRefusal? VerifyFStoC(ReadOnlySpan<byte> fStoC, RequestProtection carrier)
    {
        uint ic;
        try
        {
            ic = HlsGmac.Verify(Device.Security.Cipher, fStoC, _association.ClientTitle!.Value, _association.ServerChallenge);
        }
        catch (DlmsSecurityException)
        {
            // HlsGmac has no Try form; a failed tag is a refusal inside a normal action-response, not an abort.
            return HlsRefusal.TagMismatch;
        }

        if (ic > carrier.InvocationCounter)
        {
            if (!Device.Security.WouldAcceptIncoming(ClientSap, ic))
            {
                return HlsRefusal.InvocationCounterReused;
            }

            Device.Security.AcceptIncoming(ClientSap, ic);
        }
        else if (ic < carrier.InvocationCounter && ic <= carrier.HighestAcceptedBefore)
        {
            // Every IC accepted so far is at most the highest before the carrier, or the carrier's own: an IC
            // between them has never been used, one at or below that highest may have been.
            return HlsRefusal.InvocationCounterReused;
        }

        return null;
    }

    // ---- ISecurityHost ----------------------------------------------------------------------------------------

    public Policy SecurityPolicy => Device.Security.Policy;

    public byte SecuritySuite => 0;

    ReadOnlyMemory<byte> ISecurityHost.ClientSystemTitle => _association.ClientTitle?.ToArray() ?? [];

    public ReadOnlyMemory<byte> ServerSystemTitle => Device.Identity.SystemTitle.ToArray();

    public ActionResult SecurityActivate(byte policy)
    {
        ActionResult result = Device.Security.SecurityActivate(policy);
        if (result == ActionResult.Success)
        {
            Device.RecordEvent(DeviceEvent.SecurityPolicyChanged);
        }

        return result;
    }

    public ActionResult KeyTransfer(IReadOnlyList<(byte KeyId, ReadOnlyMemory<byte> WrappedKey)> keys)
    {
        // Keys change only through a protected management association.
        if (!_association.Settings.Ciphered || !_association.Carrier.Ciphered)
        {
            return ActionResult.ReadWriteDenied;
        }

        ActionResult result = Device.Security.KeyTransfer(keys, Device.Faults);
        if (result == ActionResult.Success)
        {
            Device.RecordEvent(DeviceEvent.KeysAccepted);
            _association.ActivateKeysAfterResponse = Device.Security.Activation == KeyActivation.Immediate;
        }
        else if (result == ActionResult.ScopeOfAccessViolated)
        {
            Device.RecordEvent(DeviceEvent.WeakKeyRefused);
            ServerLog.WeakKeyRefused(_association.Logger, Device.Identity.Id, ClientSap);
        }

        return result;
    }
}

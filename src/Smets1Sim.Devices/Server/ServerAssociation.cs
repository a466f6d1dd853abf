using System.Collections.Immutable;
using Smets1Sim.Cosem;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Policy = Smets1Sim.Dlms.Security.SecurityPolicy;

namespace Smets1Sim.Devices.Server;

/// <summary>Association status as Association LN attribute 8 shows it (Blue Book 4.4.3).</summary>
internal enum AssociationStatus : byte
{
    NonAssociated = 0,
    Pending = 1,
    Associated = 2,
}

/// <summary>
/// One application association between a client SAP and a logical device on one connection: the negotiated
/// context, HLS pass 3/4 state, and the unfinished block transfers. Used under the device's gate.
/// </summary>
internal sealed class ServerAssociation : IAssociationView, ISecurityHost, IDisposable
{
    /// <summary>Ciphering adds at most this much to an APDU (general-glo: tag, ST, length, SC, IC, tag).</summary>
    internal const int CipheringOverhead = 1 + 1 + 8 + 3 + Suite0Cipher.HeaderLength + Suite0Cipher.TagLength;

    /// <summary>Largest SET/ACTION payload accepted through block transfer.</summary>
    private const int MaxAssembledSize = 64 * 1024;

    private static readonly ObisCode CurrentAssociation = new(0, 0, 40, 0, 0, 255);

    private readonly LogicalDevice _device;
    private readonly TimeProvider _time;
    private Suite0Cipher? _dedicated;
    private Queue<GetResponseWithDataBlock>? _getBlocks;
    private uint _lastGetBlock;
    private BlockAssembler? _setAssembly;
    private CosemAttributeDescriptor? _setDescriptor;
    private SelectiveAccessDescriptor? _setAccess;
    private BlockAssembler? _actionAssembly;
    private CosemMethodDescriptor? _actionMethod;
    private uint _carrierInvocationCounter;
    private uint? _highestAcceptedBeforeCarrier;
    private bool _carrierCiphered;

    private ServerAssociation(LogicalDevice device, AssociationSettings settings, TimeProvider time)
    {
        _device = device;
        Settings = settings;
        _time = time;
    }

    public AssociationSettings Settings { get; }

    public AssociationStatus Status { get; private set; }

    public SystemTitle? ClientTitle { get; private set; }

    public Conformance Negotiated { get; private set; }

    public ushort ClientMaxReceivePduSize { get; private set; }

    /// <summary>Set when key_transfer succeeded in immediate mode: the new keys go into force after this response.</summary>
    public bool ActivateKeysAfterResponse { get; set; }

    private byte[] ServerChallenge { get; set; } = [];

    private byte[] ClientChallenge { get; set; } = [];

    // ---- Establishment (Green Book 9.4: AARQ/AARE, HLS) -------------------------------------------------------

    /// <summary>Answers an AARQ with an AARE and, when accepted, the new association.</summary>
    public static (byte[] Aare, ServerAssociation? Association) Establish(
        LogicalDevice device, ushort clientSap, ReadOnlySpan<byte> apdu, TimeProvider time)
    {
        AarqApdu aarq;
        try
        {
            aarq = AarqApdu.Decode(apdu);
        }
        catch (DlmsProtocolException)
        {
            return (Reject(ApplicationContextName.LogicalName, AcseServiceUserDiagnostic.NoReasonGiven), null);
        }

        if (!device.Associations.TryGetValue(clientSap, out AssociationSettings? settings))
        {
            return (Reject(aarq.ApplicationContextName, AcseServiceUserDiagnostic.NoReasonGiven), null);
        }

        ApplicationContextName context = settings.Ciphered ? ApplicationContextName.LogicalNameWithCiphering : ApplicationContextName.LogicalName;
        if (aarq.ApplicationContextName != context)
        {
            return (Reject(context, AcseServiceUserDiagnostic.ApplicationContextNameNotSupported), null);
        }

        AuthenticationMechanism requested = aarq.MechanismName ?? AuthenticationMechanism.None;
        if (requested != settings.Mechanism)
        {
            return (Reject(context, settings.Mechanism == AuthenticationMechanism.None || requested != AuthenticationMechanism.None
                ? AcseServiceUserDiagnostic.AuthenticationMechanismNameNotRecognised
                : AcseServiceUserDiagnostic.AuthenticationMechanismNameRequired), null);
        }

        var association = new ServerAssociation(device, settings, time);
        switch (settings.Mechanism)
        {
            case AuthenticationMechanism.None:
                break;
            case AuthenticationMechanism.Lls:
                if (aarq.CallingAuthenticationValue is not { } password || settings.LlsSecret is not { } secret
                    || !password.Span.SequenceEqual(secret.Span))
                {
                    return (Reject(context, AcseServiceUserDiagnostic.AuthenticationFailure), null);
                }

                break;
            case AuthenticationMechanism.HlsGmac:
                if (aarq.CallingAuthenticationValue is not { Length: >= HlsGmac.MinChallengeLength and <= HlsGmac.MaxChallengeLength } ctos)
                {
                    return (Reject(context, AcseServiceUserDiagnostic.AuthenticationFailure), null);
                }

                association.ClientChallenge = ctos.ToArray();
                break;
            default:
                return (Reject(context, AcseServiceUserDiagnostic.AuthenticationMechanismNameNotRecognised), null);
        }

        if (settings.Ciphered)
        {
            if (aarq.CallingApTitle is not { Length: SystemTitle.Length } title)
            {
                return (Reject(context, AcseServiceUserDiagnostic.CallingApTitleNotRecognized), null);
            }

            association.ClientTitle = SystemTitle.FromBytes(title.Span);

            // Keys accepted by key_transfer take effect at the next association (docs/dlms-wire.md section 3).
            device.ActivatePendingKeys();
        }

        if (aarq.UserInformation is not { Length: > 0 } userInformation)
        {
            return (Reject(context, AcseServiceUserDiagnostic.NoReasonGiven), null);
        }

        InitiateRequest initiate;
        CipheredApduKind replyKind = CipheredApduKind.ServiceSpecificGlobal;
        SecurityControl requestControl = default;
        try
        {
            byte[] plain;
            if (settings.Ciphered)
            {
                var envelope = CipheredApdu.Decode(userInformation.Span);
                if (envelope.IsDedicated || envelope.Tag is not (0x21 or 0xDB))
                {
                    return (Reject(context, AcseServiceUserDiagnostic.NoReasonGiven), null);
                }

                plain = envelope.Open(device.Security.Cipher, association.ClientTitle!.Value, out requestControl, out uint ic);
                if (!association.MeetsRequestPolicy(requestControl))
                {
                    return (Reject(context, AcseServiceUserDiagnostic.AuthenticationFailure), null);
                }

                device.Security.AcceptIncoming(clientSap, ic);
                replyKind = envelope.Kind;
            }
            else
            {
                plain = userInformation.ToArray();
            }

            initiate = InitiateRequest.Decode(plain);
        }
        catch (DlmsProtocolException)
        {
            return (Reject(context, AcseServiceUserDiagnostic.NoReasonGiven), null);
        }
        catch (DlmsSecurityException)
        {
            device.RecordEvent(DeviceEvent.AuthenticationFailed);
            return (Reject(context, AcseServiceUserDiagnostic.AuthenticationFailure), null);
        }

        InitiateError? initiateError = initiate.ProposedDlmsVersion < 6 ? InitiateError.DlmsVersionTooLow
            : (initiate.ProposedConformance & settings.Conformance) == Conformance.None ? InitiateError.IncompatibleConformance
            : initiate.ClientMaxReceivePduSize is > 0 and < 64 ? InitiateError.PduSizeTooShort
            : null;
        if (initiateError is InitiateError error)
        {
            return (new AareApdu
            {
                ApplicationContextName = context,
                Result = AssociationResult.RejectedPermanent,
                ServiceUserDiagnostic = AcseServiceUserDiagnostic.NoReasonGiven,
                UserInformation = (ReadOnlyMemory<byte>?)ConfirmedServiceError.ForInitiate(error).ToArray(),
            }.ToArray(), null);
        }

        if (initiate.DedicatedKey is { Length: Suite0Cipher.KeyLength } dedicatedKey)
        {
            using SecretKey ek = SecretKey.FromBytes(dedicatedKey.Span);
            association._dedicated = new Suite0Cipher(ek, device.Security.Keys.Authentication);
        }

        association.Negotiated = initiate.ProposedConformance & settings.Conformance;
        // 0 means "no limit" in the InitiateRequest; a DLMS APDU length fits in 16 bits.
        association.ClientMaxReceivePduSize = initiate.ClientMaxReceivePduSize == 0 ? ushort.MaxValue : initiate.ClientMaxReceivePduSize;
        byte[] initiateResponse = new InitiateResponse
        {
            NegotiatedConformance = association.Negotiated,
            ServerMaxReceivePduSize = settings.ServerMaxReceivePduSize,
        }.ToArray();
        if (settings.Ciphered)
        {
            initiateResponse = association.Seal(initiateResponse, replyKind, requestControl);
        }

        if (device.Faults.ShouldDrop(FaultPoint.AfterAarq))
        {
            throw new ConnectionDropRequestedException(FaultPoint.AfterAarq);
        }

        bool hls = settings.Mechanism == AuthenticationMechanism.HlsGmac;
        if (hls)
        {
            association.ServerChallenge = HlsGmac.NewChallenge(16);
        }

        association.Status = hls ? AssociationStatus.Pending : AssociationStatus.Associated;
        if (settings.Ciphered)
        {
            device.Persist();
        }

        byte[] aare = new AareApdu
        {
            ApplicationContextName = context,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = hls ? AcseServiceUserDiagnostic.AuthenticationRequired : AcseServiceUserDiagnostic.Null,
            RespondingApTitle = settings.Ciphered ? (ReadOnlyMemory<byte>?)device.Identity.SystemTitle.ToArray() : null,
            ResponderAcseRequirements = hls,
            MechanismName = hls ? AuthenticationMechanism.HlsGmac : null,
            RespondingAuthenticationValue = hls ? (ReadOnlyMemory<byte>?)association.ServerChallenge : null,
            UserInformation = (ReadOnlyMemory<byte>?)initiateResponse,
        }.ToArray();
        return (aare, association);
    }

    private static byte[] Reject(ApplicationContextName context, AcseServiceUserDiagnostic diagnostic) => new AareApdu
    {
        ApplicationContextName = context,
        Result = AssociationResult.RejectedPermanent,
        ServiceUserDiagnostic = diagnostic,
    }.ToArray();

    /// <summary>Answers an RLRQ (Green Book 9.4: RLRE, with a protected InitiateResponse when one was sent).</summary>
    public byte[] Release(RlrqApdu request)
    {
        ReadOnlyMemory<byte>? userInformation = null;
        if (Settings.Ciphered && Status == AssociationStatus.Associated && request.UserInformation is { Length: > 0 } info)
        {
            try
            {
                var envelope = CipheredApdu.Decode(info.Span);
                byte[] plain = envelope.Open(_device.Security.Cipher, ClientTitle!.Value, out SecurityControl sc, out uint ic);
                _device.Security.AcceptIncoming(Settings.ClientSap, ic);
                _ = InitiateRequest.Decode(plain);
                byte[] response = new InitiateResponse
                {
                    NegotiatedConformance = Negotiated,
                    ServerMaxReceivePduSize = Settings.ServerMaxReceivePduSize,
                }.ToArray();
                userInformation = Seal(response, envelope.Kind == CipheredApduKind.GeneralGlobal ? envelope.Kind : CipheredApduKind.ServiceSpecificGlobal, sc);
            }
            catch (Exception ex) when (ex is DlmsProtocolException or DlmsSecurityException)
            {
                // A release is granted even when its user-information is unreadable; nothing is disclosed.
            }
        }

        Status = AssociationStatus.NonAssociated;
        if (Settings.Ciphered)
        {
            _device.Persist();
        }

        return new RlreApdu { Reason = ReleaseResponseReason.Normal, UserInformation = userInformation }.ToArray();
    }

    /// <summary>Drops the dedicated key of this association.</summary>
    public void Dispose() => _dedicated?.Dispose();

    /// <summary>Marks the association aborted (after a security failure); it must be established again.</summary>
    public void Abort() => Status = AssociationStatus.NonAssociated;

    // ---- Data transfer -----------------------------------------------------------------------------------------

    /// <summary>Handles one request APDU inside the association and returns the response APDU.</summary>
    /// <exception cref="DlmsSecurityException">The request failed a security check: the caller aborts.</exception>
    public byte[] Handle(ReadOnlySpan<byte> apdu)
    {
        if (Status == AssociationStatus.NonAssociated)
        {
            return Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
        }

        if (!CipheredApdu.IsCiphered(apdu[0]))
        {
            if (Settings.Ciphered && (_device.Security.Policy & (Policy.AuthenticatedRequest | Policy.EncryptedRequest)) != 0)
            {
                return Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
            }

            _carrierCiphered = false;
            return FitToClient(Dispatch(apdu));
        }

        if (!Settings.Ciphered)
        {
            return Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
        }

        CipheredApdu envelope;
        try
        {
            envelope = CipheredApdu.Decode(apdu);
        }
        catch (DlmsProtocolException)
        {
            return Exception(ExceptionStateError.ServiceUnknown, ExceptionServiceError.OtherReason);
        }

        Suite0Cipher? cipher = envelope.IsDedicated ? _dedicated : _device.Security.Cipher;
        if (cipher is null)
        {
            return Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.DecipheringError);
        }

        byte[] plain = envelope.Open(cipher, ClientTitle!.Value, out SecurityControl control, out uint ic);
        if (!MeetsRequestPolicy(control))
        {
            return Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
        }

        _highestAcceptedBeforeCarrier = _device.Security.HighestAcceptedOrNone(Settings.ClientSap);
        _device.Security.AcceptIncoming(Settings.ClientSap, ic);
        _carrierInvocationCounter = ic;
        _carrierCiphered = true;
        byte[] response = FitToClient(Dispatch(plain));
        if (response[0] == ExceptionResponse.TagByte)
        {
            return response;
        }

        // A server answers in the family the request used (docs/dlms-wire.md section 3), with the same key.
        return Seal(response, envelope.Kind, control, cipher);
    }

    /// <summary>The exception-response a server sends for a refused or unreadable request (Green Book 9.3).</summary>
    public static byte[] Exception(ExceptionStateError state, ExceptionServiceError service, uint? expectedInvocationCounter = null)
        => new ExceptionResponse { StateError = state, ServiceError = service, ExpectedInvocationCounter = expectedInvocationCounter }.ToArray();

    private bool MeetsRequestPolicy(SecurityControl control)
    {
        Policy policy = _device.Security.Policy;
        return (!policy.HasFlag(Policy.AuthenticatedRequest) || control.Authenticated)
            && (!policy.HasFlag(Policy.EncryptedRequest) || control.Encrypted);
    }

    /// <summary>
    /// Protects a response: the policy's response flags decide the SC; with none set, the response mirrors the
    /// request's protection. A fresh IC every time (never reused, even across restarts).
    /// </summary>
    private byte[] Seal(byte[] plain, CipheredApduKind kind, SecurityControl requestControl, Suite0Cipher? cipher = null)
    {
        Policy policy = _device.Security.Policy;
        byte sc = (byte)((policy.HasFlag(Policy.AuthenticatedResponse) ? SecurityControl.AuthenticationBit : 0)
            | (policy.HasFlag(Policy.EncryptedResponse) ? SecurityControl.EncryptionBit : 0));
        if (sc == 0)
        {
            sc = (byte)(requestControl.Value & (SecurityControl.AuthenticationBit | SecurityControl.EncryptionBit));
        }

        if (sc == 0)
        {
            sc = SecurityControl.AuthenticatedEncrypted.Value;
        }

        if ((kind == CipheredApduKind.ServiceSpecificGlobal && !CipheredTags.TryGetGlobalTag(plain[0], out _))
            || (kind == CipheredApduKind.ServiceSpecificDedicated && !CipheredTags.TryGetDedicatedTag(plain[0], out _)))
        {
            kind = kind == CipheredApduKind.ServiceSpecificGlobal ? CipheredApduKind.GeneralGlobal : CipheredApduKind.GeneralDedicated;
        }

        return CipheredApdu.Seal(cipher ?? _device.Security.Cipher, kind, new SecurityControl(sc), _device.Identity.SystemTitle, _device.Security.NextOutgoing(), plain).ToArray();
    }

    /// <summary>
    /// The longest plain response that still fits the client's max receive PDU once protected (no floor: a reply
    /// above the client's limit is one it drops). Establishment refuses a max PDU below 64, which leaves 34 bytes:
    /// enough for the longest reply that cannot be cut into blocks, the 25-byte pass-4 action-response.
    /// </summary>
    private int MaxResponseApdu => ClientMaxReceivePduSize - (Settings.Ciphered ? CipheringOverhead : 0);

    /// <summary>Every reply must fit the client's max receive PDU: one that does not becomes pdu-too-long.</summary>
    private byte[] FitToClient(byte[] response)
        => response.Length <= MaxResponseApdu ? response : Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.PduTooLong);

    private byte[] Dispatch(ReadOnlySpan<byte> plain)
    {
        XdlmsApdu request;
        try
        {
            request = XdlmsApduCodec.Decode(plain);
        }
        catch (DlmsProtocolException)
        {
            return Exception(ExceptionStateError.ServiceUnknown, ExceptionServiceError.OtherReason);
        }

        if (Status == AssociationStatus.Pending)
        {
            // Before HLS pass 3/4 only reply_to_HLS_authentication is allowed (Green Book 9.2.7.4).
            return request is ActionRequestNormal { Method: { ClassId: 15, MethodId: 1 } m } hls && m.InstanceId == CurrentAssociation
                ? new ActionResponseNormal(hls.InvokeIdAndPriority, ToResponse(ReplyToHlsAuthentication(hls.Parameters))).ToArray()
                : Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.OperationNotPossible);
        }

        return request switch
        {
            GetRequest get when Negotiated.HasFlag(Conformance.Get) => HandleGet(get),
            SetRequest set when Negotiated.HasFlag(Conformance.Set) => HandleSet(set),
            ActionRequest action when Negotiated.HasFlag(Conformance.Action) => HandleAction(action),
            GetRequest or SetRequest or ActionRequest => Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.ServiceNotSupported),
            _ => Exception(ExceptionStateError.ServiceUnknown, ExceptionServiceError.ServiceNotSupported),
        };
    }

    private CosemContext Context => new(_time, this, this);

    private byte[] HandleGet(GetRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case GetRequestNormal normal:
            {
                _getBlocks = null;
                GetResult result = Read(normal.Descriptor, normal.AccessSelection);
                if (result.Value is null)
                {
                    return new GetResponseNormal(invoke, GetDataResult.FromError(result.Result)).ToArray();
                }

                IReadOnlyList<GetResponse> responses = GetBlockTransfer.CreateResponses(invoke, result.Value, MaxResponseApdu);
                if (responses.Count > 1)
                {
                    if (!Negotiated.HasFlag(Conformance.BlockTransferWithGetOrRead))
                    {
                        return new GetResponseNormal(invoke, GetDataResult.FromError(DataAccessResult.OtherReason)).ToArray();
                    }

                    _getBlocks = new Queue<GetResponseWithDataBlock>(responses.Skip(1).Cast<GetResponseWithDataBlock>());
                    _lastGetBlock = 1;
                }

                return responses[0].ToArray();
            }

            case GetRequestNext next:
                if (_getBlocks is null || _getBlocks.Count == 0)
                {
                    return new GetResponseWithDataBlock(invoke, true, next.BlockNumber, DataAccessResult.NoLongGetInProgress).ToArray();
                }

                if (next.BlockNumber != _lastGetBlock)
                {
                    _getBlocks = null;
                    return new GetResponseWithDataBlock(invoke, true, next.BlockNumber, DataAccessResult.DataBlockNumberInvalid).ToArray();
                }

                GetResponseWithDataBlock block = _getBlocks.Dequeue();
                _lastGetBlock = block.BlockNumber;
                if (block.LastBlock)
                {
                    _getBlocks = null;
                }

                // The stored blocks carry the invoke-id of the first request; answer with the one just received.
                return new GetResponseWithDataBlock(invoke, block.LastBlock, block.BlockNumber, block.RawData).ToArray();

            case GetRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<GetDataResult>(list.Descriptors.Length);
                foreach (CosemAttributeDescriptorWithSelection item in list.Descriptors)
                {
                    GetResult r = Read(item.Descriptor, item.AccessSelection);
                    results.Add(r.Value is null ? GetDataResult.FromError(r.Result) : GetDataResult.FromData(r.Value));
                }

                byte[] encoded = new GetResponseWithList(invoke, results.MoveToImmutable()).ToArray();
                return encoded.Length <= MaxResponseApdu
                    ? encoded
                    : Exception(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.PduTooLong);
            }

            default:
                return Exception(ExceptionStateError.ServiceUnknown, ExceptionServiceError.ServiceNotSupported);
        }
    }

    private byte[] HandleSet(SetRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case SetRequestNormal normal:
                return new SetResponseNormal(invoke, Write(normal.Descriptor, normal.Value, normal.AccessSelection)).ToArray();
            case SetRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<DataAccessResult>(list.Descriptors.Length);
                for (int i = 0; i < list.Descriptors.Length; i++)
                {
                    results.Add(Write(list.Descriptors[i].Descriptor, list.Values[i], list.Descriptors[i].AccessSelection));
                }

                return new SetResponseWithList(invoke, results.MoveToImmutable()).ToArray();
            }

            case SetRequestWithFirstDatablock first:
                _setAssembly = new BlockAssembler(MaxAssembledSize);
                _setDescriptor = first.Descriptor;
                _setAccess = first.AccessSelection;
                return ContinueSet(invoke, first.Block);
            case SetRequestWithDatablock next:
                if (_setAssembly is null)
                {
                    return new SetResponseLastDatablock(invoke, DataAccessResult.NoLongSetInProgress, next.Block.BlockNumber).ToArray();
                }

                return ContinueSet(invoke, next.Block);
            default:
                return new SetResponseNormal(invoke, DataAccessResult.OtherReason).ToArray();
        }
    }

    private byte[] ContinueSet(InvokeIdAndPriority invoke, DataBlock block)
    {
        // Each failure gets the result that names it: a block out of sequence, a transfer aborted for its size or
        // an empty middle block, a payload that is not one readable value (e.g. nested too deeply).
        DataAccessResult failure = DataAccessResult.DataBlockNumberInvalid;
        try
        {
            if (block.BlockNumber != _setAssembly!.NextBlockNumber)
            {
                _setAssembly = null;
                return new SetResponseLastDatablock(invoke, DataAccessResult.DataBlockNumberInvalid, block.BlockNumber).ToArray();
            }

            failure = DataAccessResult.LongSetAborted;
            if (!_setAssembly.Add(block))
            {
                return new SetResponseDatablock(invoke, block.BlockNumber).ToArray();
            }

            failure = DataAccessResult.TypeUnmatched;
            DlmsValue value = _setAssembly.DecodeValue();
            return new SetResponseLastDatablock(invoke, Write(_setDescriptor!, value, _setAccess), block.BlockNumber).ToArray();
        }
        catch (DlmsProtocolException)
        {
            _setAssembly = null;
            return new SetResponseLastDatablock(invoke, failure, block.BlockNumber).ToArray();
        }
        finally
        {
            if (_setAssembly?.IsComplete != false)
            {
                _setAssembly = null;
            }
        }
    }

    private byte[] HandleAction(ActionRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case ActionRequestNormal normal:
                return new ActionResponseNormal(invoke, ToResponse(Invoke(normal.Method, normal.Parameters))).ToArray();
            case ActionRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<ActionResponseWithOptionalData>(list.Methods.Length);
                for (int i = 0; i < list.Methods.Length; i++)
                {
                    results.Add(ToResponse(Invoke(list.Methods[i], list.Parameters[i])));
                }

                return new ActionResponseWithList(invoke, results.MoveToImmutable()).ToArray();
            }

            case ActionRequestWithFirstPblock first:
                _actionAssembly = new BlockAssembler(MaxAssembledSize);
                _actionMethod = first.Method;
                return ContinueAction(invoke, first.Block);
            case ActionRequestWithPblock next when _actionAssembly is not null:
                return ContinueAction(invoke, next.Block);
            default:
                return new ActionResponseNormal(invoke, ActionResult.NoLongActionInProgress).ToArray();
        }
    }

    private byte[] ContinueAction(InvokeIdAndPriority invoke, DataBlock block)
    {
        try
        {
            if (!_actionAssembly!.Add(block))
            {
                return new ActionResponseNextPblock(invoke, block.BlockNumber).ToArray();
            }

            DlmsValue parameters = _actionAssembly.DecodeValue();
            return new ActionResponseNormal(invoke, ToResponse(Invoke(_actionMethod!, parameters))).ToArray();
        }
        catch (DlmsProtocolException)
        {
            return new ActionResponseNormal(invoke, ActionResult.LongActionAborted).ToArray();
        }
        finally
        {
            if (_actionAssembly?.IsComplete != false)
            {
                _actionAssembly = null;
            }
        }
    }

    private static ActionResponseWithOptionalData ToResponse(ActionOutcome outcome)
        => new(outcome.Result, outcome.ReturnData is null ? null : GetDataResult.FromData(outcome.ReturnData));

    private bool TryResolve(ushort classId, ObisCode instance, out CosemObject obj, out AccessRights rights, out DataAccessResult failure)
    {
        obj = null!;
        rights = null!;
        if (!Settings.Rights.TryGetValue(instance, out AccessRights? r) || !_device.Objects.TryGetValue(instance, out CosemObject? o))
        {
            failure = DataAccessResult.ObjectUndefined;
            return false;
        }

        if (o.ClassId != classId)
        {
            failure = DataAccessResult.ObjectClassInconsistent;
            return false;
        }

        obj = o;
        rights = r;
        failure = DataAccessResult.Success;
        return true;
    }

    private GetResult Read(CosemAttributeDescriptor descriptor, SelectiveAccessDescriptor? access)
    {
        if (!TryResolve(descriptor.ClassId, descriptor.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return GetResult.Failure(failure);
        }

        return rights.CanRead(descriptor.AttributeId)
            ? obj.Get(descriptor.AttributeId, access, Context)
            : GetResult.Failure(descriptor.AttributeId < 1 || descriptor.AttributeId > obj.AttributeCount ? DataAccessResult.ObjectUndefined : DataAccessResult.ReadWriteDenied);
    }

    private DataAccessResult Write(CosemAttributeDescriptor descriptor, DlmsValue value, SelectiveAccessDescriptor? access)
    {
        if (!TryResolve(descriptor.ClassId, descriptor.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return failure;
        }

        return rights.CanWrite(descriptor.AttributeId)
            ? obj.Set(descriptor.AttributeId, value, access, Context)
            : descriptor.AttributeId < 1 || descriptor.AttributeId > obj.AttributeCount ? DataAccessResult.ObjectUndefined : DataAccessResult.ReadWriteDenied;
    }

    private ActionOutcome Invoke(CosemMethodDescriptor method, DlmsValue? parameters)
    {
        if (!TryResolve(method.ClassId, method.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return ActionOutcome.Failure(failure == DataAccessResult.ObjectClassInconsistent ? ActionResult.ObjectClassInconsistent : ActionResult.ObjectUndefined);
        }

        if (method.MethodId < 1 || method.MethodId > obj.MethodCount)
        {
            return ActionOutcome.Failure(ActionResult.ObjectUndefined);
        }

        if (!rights.CanInvoke(method.MethodId))
        {
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        // HLS pass 3/4 on an established association is refused: it was done already.
        if (method is { ClassId: 15, MethodId: 1 } && method.InstanceId == CurrentAssociation)
        {
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        return obj.Invoke(method.MethodId, parameters, Context);
    }

    // ---- IAssociationView ----------------------------------------------------------------------------------

    public ushort ClientSap => Settings.ClientSap;

    public ushort ServerSap => _device.Identity.WPort;

    public IReadOnlyList<ObjectListEntry> ObjectList
        => [.. Settings.Rights.Where(r => _device.Objects.ContainsKey(r.Key))
            .Select(r => (Object: _device.Objects[r.Key], Rights: r.Value))
            .OrderBy(e => e.Object.ClassId).ThenBy(e => e.Object.LogicalName.ToString(), StringComparer.Ordinal)
            .Select(e => new ObjectListEntry(e.Object.ClassId, e.Object.Version, e.Object.LogicalName, e.Rights))];

    public byte ApplicationContextId => (byte)(Settings.Ciphered ? ApplicationContextName.LogicalNameWithCiphering : ApplicationContextName.LogicalName);

    public byte MechanismId => (byte)Settings.Mechanism;

    byte IAssociationView.AssociationStatus => (byte)Status;

    public (uint Conformance, ushort MaxReceivePduSize, byte DlmsVersion) XdlmsContext
        => ((uint)Negotiated, Settings.ServerMaxReceivePduSize, 6);

    public ObisCode? SecuritySetupReference => Settings.SecuritySetup;

    /// <summary>
    /// HLS pass 3/4 (Green Book 9.2.7.4, mechanism 5). The IC inside f(StoC) may equal the IC of the APDU that
    /// carries it, or be a separate one below or above it (clients differ; docs/dlms-wire.md section 3): any IC not
    /// accepted before from this client under these keys is accepted. The server's f(CtoS) uses an IC of its own,
    /// distinct from the one protecting the response.
    /// </summary>
    public ActionOutcome ReplyToHlsAuthentication(DlmsValue? parameters)
    {
        if (Status != AssociationStatus.Pending || !_carrierCiphered || parameters is not DlmsOctetString { Value.Length: HlsGmac.ResponseLength } response)
        {
            Status = AssociationStatus.NonAssociated;
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        try
        {
            uint ic = HlsGmac.Verify(_device.Security.Cipher, response.Span, ClientTitle!.Value, ServerChallenge);
            if (ic > _carrierInvocationCounter)
            {
                _device.Security.AcceptIncoming(Settings.ClientSap, ic);
            }
            else if (ic < _carrierInvocationCounter && ic <= _highestAcceptedBeforeCarrier)
            {
                // Every IC accepted so far is at most the highest before the carrier, or the carrier's own: an IC
                // between them has never been used, one at or below that highest may have been.
                throw new DlmsSecurityException(SecurityFailure.Replay, "f(StoC) reuses an invocation counter already accepted");
            }
        }
        catch (DlmsSecurityException)
        {
            Status = AssociationStatus.NonAssociated;
            _device.RecordEvent(DeviceEvent.AuthenticationFailed);
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        byte[] reply = HlsGmac.ComputeResponse(_device.Security.Cipher, _device.Identity.SystemTitle, _device.Security.NextOutgoing(), ClientChallenge);
        Status = AssociationStatus.Associated;
        return ActionOutcome.Success(DlmsValue.OctetString(reply));
    }

    // ---- ISecurityHost ----------------------------------------------------------------------------------------

    public Policy SecurityPolicy => _device.Security.Policy;

    public byte SecuritySuite => 0;

    ReadOnlyMemory<byte> ISecurityHost.ClientSystemTitle => ClientTitle?.ToArray() ?? [];

    public ReadOnlyMemory<byte> ServerSystemTitle => _device.Identity.SystemTitle.ToArray();

    public ActionResult SecurityActivate(byte policy)
    {
        ActionResult result = _device.Security.SecurityActivate(policy);
        if (result == ActionResult.Success)
        {
            _device.RecordEvent(DeviceEvent.SecurityPolicyChanged);
        }

        return result;
    }

    public ActionResult KeyTransfer(IReadOnlyList<(byte KeyId, ReadOnlyMemory<byte> WrappedKey)> keys)
    {
        // Keys change only through a protected management association.
        if (!Settings.Ciphered || !_carrierCiphered)
        {
            return ActionResult.ReadWriteDenied;
        }

        ActionResult result = _device.Security.KeyTransfer(keys, _device.Faults);
        if (result == ActionResult.Success)
        {
            _device.RecordEvent(DeviceEvent.KeysAccepted);
            ActivateKeysAfterResponse = _device.Security.Activation == KeyActivation.Immediate;
        }
        else if (result == ActionResult.ScopeOfAccessViolated)
        {
            _device.RecordEvent(DeviceEvent.WeakKeyRefused);
        }

        return result;
    }
}

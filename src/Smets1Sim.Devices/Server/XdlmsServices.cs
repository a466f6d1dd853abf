using System.Collections.Immutable;
using Smets1Sim.Cosem;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>
/// The xDLMS services of one association (Green Book 9.3): GET, SET and ACTION, normal, with-list and with
/// block transfer. Refusals the standard answers inside a response (data-access-result, action-result) are
/// returned here; a request refused as a whole throws <see cref="DlmsServiceErrorException"/>.
/// </summary>
internal sealed class XdlmsServices(ServerAssociation association, AccessResolver access)
{
    /// <summary>Largest SET/ACTION payload accepted through block transfer.</summary>
    internal const int MaxAssembledSize = 64 * 1024;

    // At most one unfinished transfer of each kind per association (a new first block replaces it).
    private PendingGet? _get;
    private PendingBlocks<(CosemAttributeDescriptor Descriptor, SelectiveAccessDescriptor? Access)>? _set;
    private PendingBlocks<CosemMethodDescriptor>? _action;

    private CosemContext Context => association.Cosem.Context;

    /// <summary>Serves one plain request APDU and returns the plain response.</summary>
    /// <exception cref="DlmsProtocolException">The APDU is not a readable xDLMS request.</exception>
    /// <exception cref="DlmsServiceErrorException">The service is not allowed or not supported here.</exception>
    public byte[] Dispatch(ReadOnlySpan<byte> plain)
    {
        XdlmsApdu request = XdlmsApduCodec.Decode(plain);
        Conformance negotiated = association.Negotiated;
        if (association.Status == AssociationStatus.Pending)
        {
            // Before HLS pass 3/4 only reply_to_HLS_authentication is allowed (Green Book 9.2.7.4).
            return request is ActionRequestNormal hls && AccessResolver.IsReplyToHlsAuthentication(hls.Method)
                ? new ActionResponseNormal(hls.InvokeIdAndPriority, ToResponse(association.Cosem.ReplyToHlsAuthentication(hls.Parameters))).ToArray()
                : throw DlmsServiceErrorException.NotAssociated("only HLS pass 3 is allowed before the association is authenticated");
        }

        return request switch
        {
            GetRequest get when negotiated.HasFlag(Conformance.Get) => HandleGet(get),
            SetRequest set when negotiated.HasFlag(Conformance.Set) => HandleSet(set),
            ActionRequest action when negotiated.HasFlag(Conformance.Action) => HandleAction(action),
            GetRequest or SetRequest or ActionRequest => throw new DlmsServiceErrorException(
                ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.ServiceNotSupported, "service not in the negotiated conformance"),
            _ => throw new DlmsServiceErrorException(ExceptionStateError.ServiceUnknown, ExceptionServiceError.ServiceNotSupported, "not a GET, SET or ACTION request"),
        };
    }

    private byte[] HandleGet(GetRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case GetRequestNormal normal:
            {
                _get = null;
                GetResult result = access.Read(normal.Descriptor, normal.AccessSelection, Context);
                if (result.Value is null)
                {
                    return new GetResponseNormal(invoke, GetDataResult.FromError(result.Result)).ToArray();
                }

                IReadOnlyList<GetResponse> responses = GetBlockTransfer.CreateResponses(invoke, result.Value, association.Ciphering.MaxResponseApdu);
                if (responses.Count > 1)
                {
                    if (!association.Negotiated.HasFlag(Conformance.BlockTransferWithGetOrRead))
                    {
                        return new GetResponseNormal(invoke, GetDataResult.FromError(DataAccessResult.OtherReason)).ToArray();
                    }

                    _get = new PendingGet(responses.Skip(1).Cast<GetResponseWithDataBlock>());
                }

                return responses[0].ToArray();
            }

            case GetRequestNext next:
                if (_get is null)
                {
                    return new GetResponseWithDataBlock(invoke, true, next.BlockNumber, DataAccessResult.NoLongGetInProgress).ToArray();
                }

                if (next.BlockNumber != _get.LastSent)
                {
                    _get = null;
                    return new GetResponseWithDataBlock(invoke, true, next.BlockNumber, DataAccessResult.DataBlockNumberInvalid).ToArray();
                }

                GetResponseWithDataBlock block = _get.Next();
                if (block.LastBlock)
                {
                    _get = null;
                }

                // The stored blocks carry the invoke-id of the first request; answer with the one just received.
                return new GetResponseWithDataBlock(invoke, block.LastBlock, block.BlockNumber, block.RawData).ToArray();

            case GetRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<GetDataResult>(list.Descriptors.Length);
                foreach (CosemAttributeDescriptorWithSelection item in list.Descriptors)
                {
                    GetResult r = access.Read(item.Descriptor, item.AccessSelection, Context);
                    results.Add(r.Value is null ? GetDataResult.FromError(r.Result) : GetDataResult.FromData(r.Value));
                }

                return new GetResponseWithList(invoke, results.MoveToImmutable()).ToArray();
            }

            default:
                throw new DlmsServiceErrorException(ExceptionStateError.ServiceUnknown, ExceptionServiceError.ServiceNotSupported, "GET variant not supported");
        }
    }

    private byte[] HandleSet(SetRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case SetRequestNormal normal:
                return new SetResponseNormal(invoke, access.Write(normal.Descriptor, normal.Value, normal.AccessSelection, Context)).ToArray();
            case SetRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<DataAccessResult>(list.Descriptors.Length);
                for (int i = 0; i < list.Descriptors.Length; i++)
                {
                    results.Add(access.Write(list.Descriptors[i].Descriptor, list.Values[i], list.Descriptors[i].AccessSelection, Context));
                }

                return new SetResponseWithList(invoke, results.MoveToImmutable()).ToArray();
            }

            case SetRequestWithFirstDatablock first:
                _set = new((first.Descriptor, first.AccessSelection));
                return ContinueSet(invoke, first.Block);
            case SetRequestWithDatablock next:
                return _set is null
                    ? new SetResponseLastDatablock(invoke, DataAccessResult.NoLongSetInProgress, next.Block.BlockNumber).ToArray()
                    : ContinueSet(invoke, next.Block);
            default:
                return new SetResponseNormal(invoke, DataAccessResult.OtherReason).ToArray();
        }
    }

    private byte[] ContinueSet(InvokeIdAndPriority invoke, DataBlock block)
    {
        PendingBlocks<(CosemAttributeDescriptor Descriptor, SelectiveAccessDescriptor? Access)> set = _set!;
        BlockOutcome outcome = set.Add(block, out DlmsValue? value);
        if (outcome == BlockOutcome.MoreExpected)
        {
            return new SetResponseDatablock(invoke, block.BlockNumber).ToArray();
        }

        _set = null;
        // Each failure gets the result that names it (not data-block-number-invalid for all of them).
        DataAccessResult result = outcome switch
        {
            BlockOutcome.Complete => access.Write(set.Target.Descriptor, value!, set.Target.Access, Context),
            BlockOutcome.OutOfSequence => DataAccessResult.DataBlockNumberInvalid,
            BlockOutcome.Unreadable => DataAccessResult.TypeUnmatched,
            _ => DataAccessResult.LongSetAborted,
        };
        return new SetResponseLastDatablock(invoke, result, block.BlockNumber).ToArray();
    }

    private byte[] HandleAction(ActionRequest request)
    {
        InvokeIdAndPriority invoke = request.InvokeIdAndPriority;
        switch (request)
        {
            case ActionRequestNormal normal:
                return new ActionResponseNormal(invoke, ToResponse(access.Invoke(normal.Method, normal.Parameters, Context))).ToArray();
            case ActionRequestWithList list:
            {
                var results = ImmutableArray.CreateBuilder<ActionResponseWithOptionalData>(list.Methods.Length);
                for (int i = 0; i < list.Methods.Length; i++)
                {
                    results.Add(ToResponse(access.Invoke(list.Methods[i], list.Parameters[i], Context)));
                }

                return new ActionResponseWithList(invoke, results.MoveToImmutable()).ToArray();
            }

            case ActionRequestWithFirstPblock first:
                _action = new(first.Method);
                return ContinueAction(invoke, first.Block);
            case ActionRequestWithPblock next when _action is not null:
                return ContinueAction(invoke, next.Block);
            default:
                return new ActionResponseNormal(invoke, ActionResult.NoLongActionInProgress).ToArray();
        }
    }

    private byte[] ContinueAction(InvokeIdAndPriority invoke, DataBlock block)
    {
        PendingBlocks<CosemMethodDescriptor> action = _action!;
        BlockOutcome outcome = action.Add(block, out DlmsValue? parameters);
        if (outcome == BlockOutcome.MoreExpected)
        {
            return new ActionResponseNextPblock(invoke, block.BlockNumber).ToArray();
        }

        _action = null;
        ActionResponseWithOptionalData response = outcome switch
        {
            BlockOutcome.Complete => ToResponse(access.Invoke(action.Target, parameters, Context)),
            BlockOutcome.Unreadable => new ActionResponseWithOptionalData(ActionResult.TypeUnmatched, null),
            _ => new ActionResponseWithOptionalData(ActionResult.LongActionAborted, null),
        };
        return new ActionResponseNormal(invoke, response).ToArray();
    }

    private static ActionResponseWithOptionalData ToResponse(ActionOutcome outcome)
        => new(outcome.Result, outcome.ReturnData is null ? null : GetDataResult.FromData(outcome.ReturnData));

    /// <summary>The blocks of a long GET still to send, and the number of the last one sent.</summary>
    private sealed class PendingGet(IEnumerable<GetResponseWithDataBlock> remaining)
    {
        private readonly Queue<GetResponseWithDataBlock> _remaining = new(remaining);

        public uint LastSent { get; private set; } = 1;

        public GetResponseWithDataBlock Next()
        {
            GetResponseWithDataBlock block = _remaining.Dequeue();
            LastSent = block.BlockNumber;
            return block;
        }
    }

    private enum BlockOutcome
    {
        MoreExpected,
        Complete,
        OutOfSequence,
        Aborted,
        Unreadable,
    }

    /// <summary>A long SET or ACTION being received: its target and the blocks so far.</summary>
    private sealed class PendingBlocks<T>(T target)
    {
        private readonly BlockAssembler _assembler = new(MaxAssembledSize);

        public T Target { get; } = target;

        /// <summary>Adds a block; checks what <see cref="BlockAssembler"/> would refuse first, so no exception is a result.</summary>
        public BlockOutcome Add(DataBlock block, out DlmsValue? value)
        {
            value = null;
            if (block.BlockNumber != _assembler.NextBlockNumber)
            {
                return BlockOutcome.OutOfSequence;
            }

            if ((block.RawData.IsEmpty && !block.LastBlock) || block.RawData.Length > MaxAssembledSize - _assembler.Length)
            {
                return BlockOutcome.Aborted;
            }

            if (!_assembler.Add(block))
            {
                return BlockOutcome.MoreExpected;
            }

            try
            {
                value = _assembler.DecodeValue();
                return BlockOutcome.Complete;
            }
            catch (DlmsProtocolException)
            {
                // Not exactly one readable value (e.g. nested too deeply): the decoder has no Try form.
                return BlockOutcome.Unreadable;
            }
        }
    }
}

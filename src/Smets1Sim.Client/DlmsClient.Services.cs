using System.Collections.Immutable;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>GET, SET and ACTION with service-specific block transfer (Green Book, xDLMS services with block transfer).</summary>
public sealed partial class DlmsClient
{
    /// <summary>
    /// Reads one attribute. A reply in blocks (get-response-with-datablock) is acknowledged with get-request-next until
    /// the last block and the assembled bytes decoded as one value.
    /// </summary>
    /// <returns>The value, or the data-access-result the server gave instead.</returns>
    /// <exception cref="DlmsServiceException">The server answered with an exception-response or confirmedServiceError.</exception>
    public Task<GetDataResult> GetAsync(
        CosemAttributeDescriptor attribute,
        SelectiveAccessDescriptor? access = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        return RunAsync("get", token => GetCoreAsync(attribute, access, token), cancellationToken);
    }

    /// <summary>Reads one attribute and returns its value.</summary>
    /// <exception cref="DlmsDataAccessException">The server returned a data-access-result instead of a value.</exception>
    public async Task<DlmsValue> GetValueAsync(CosemAttributeDescriptor attribute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        GetDataResult result = await GetAsync(attribute, null, cancellationToken).ConfigureAwait(false);
        return result.Data ?? throw new DlmsDataAccessException(attribute, result.AccessResult);
    }

    /// <summary>Reads several attributes with one get-request-with-list (the server must grant multiple-references).</summary>
    /// <returns>One result per attribute, in order.</returns>
    public Task<IReadOnlyList<GetDataResult>> GetWithListAsync(
        IReadOnlyList<CosemAttributeDescriptorWithSelection> attributes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            throw new ArgumentException("a get-request-with-list names at least one attribute", nameof(attributes));
        }

        return RunAsync("get with list", token => GetWithListCoreAsync([.. attributes], token), cancellationToken);
    }

    /// <summary>
    /// Writes one attribute. When the set-request would exceed the server's max receive PDU (after ciphering), the
    /// value goes in blocks: set-request-with-first-datablock, then set-request-with-datablock, each acknowledged.
    /// </summary>
    /// <returns>The data-access-result of the write.</returns>
    /// <exception cref="InvalidOperationException">The value needs blocks and the server did not grant block-transfer-with-set.</exception>
    public Task<DataAccessResult> SetAsync(
        CosemAttributeDescriptor attribute,
        DlmsValue value,
        SelectiveAccessDescriptor? access = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        ArgumentNullException.ThrowIfNull(value);
        return RunAsync("set", token => SetCoreAsync(attribute, value, access, token), cancellationToken);
    }

    /// <summary>
    /// Invokes a method. Parameters too long for the server's max receive PDU go in pblocks
    /// (action-request-with-first-pblock / with-pblock, each acknowledged by action-response-next-pblock); return data in
    /// pblocks (action-response-with-pblock) is acknowledged with action-request-next-pblock and decoded as one value.
    /// </summary>
    /// <exception cref="InvalidOperationException">The parameters need blocks and the server did not grant block-transfer-with-action.</exception>
    public Task<ActionInvocationResult> InvokeAsync(
        CosemMethodDescriptor method,
        DlmsValue? parameters = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        return RunAsync("invoke", token => InvokeCoreAsync(method, parameters, token), cancellationToken);
    }

    private async Task<GetDataResult> GetCoreAsync(CosemAttributeDescriptor attribute, SelectiveAccessDescriptor? access, CancellationToken cancellationToken)
    {
        InvokeIdAndPriority invoke = NextInvoke();
        XdlmsApdu reply = await RequestAsync(new GetRequestNormal(invoke, attribute, access), cancellationToken).ConfigureAwait(false);
        switch (reply)
        {
            case GetResponseNormal normal:
                CheckInvoke(invoke, normal.InvokeIdAndPriority);
                return normal.Result;
            case GetResponseWithDataBlock first:
            {
                (byte[]? raw, DataAccessResult error) = await ReceiveGetBlocksAsync(invoke, first, cancellationToken).ConfigureAwait(false);
                return raw is null
                    ? GetDataResult.FromError(error)
                    : GetDataResult.FromData(AxdrDecoder.Decode(raw, Options.DecodeLimits));
            }

            default:
                throw Unexpected(reply, "get-response");
        }
    }

    private async Task<IReadOnlyList<GetDataResult>> GetWithListCoreAsync(
        ImmutableArray<CosemAttributeDescriptorWithSelection> attributes,
        CancellationToken cancellationToken)
    {
        InvokeIdAndPriority invoke = NextInvoke();
        XdlmsApdu reply = await RequestAsync(new GetRequestWithList(invoke, attributes), cancellationToken).ConfigureAwait(false);
        GetResponseWithList list;
        switch (reply)
        {
            case GetResponseWithList direct:
                CheckInvoke(invoke, direct.InvokeIdAndPriority);
                list = direct;
                break;
            case GetResponseWithDataBlock first:
            {
                (byte[]? raw, DataAccessResult error) = await ReceiveGetBlocksAsync(invoke, first, cancellationToken).ConfigureAwait(false);
                if (raw is null)
                {
                    return [.. Enumerable.Repeat(GetDataResult.FromError(error), attributes.Length)];
                }

                // The blocks carry the list as get-response-with-list would: count, then one Get-Data-Result each.
                // Decoding it behind that APDU's header reuses the one codec for the list.
                byte[] apdu = new byte[3 + raw.Length];
                apdu[0] = (byte)XdlmsTag.GetResponse;
                apdu[1] = (byte)GetResponseType.WithList;
                apdu[2] = invoke.Value;
                raw.CopyTo(apdu, 3);
                list = XdlmsApduCodec.Decode<GetResponseWithList>(apdu, Options.DecodeLimits);
                break;
            }

            default:
                throw Unexpected(reply, "get-response-with-list");
        }

        if (list.Results.Length != attributes.Length)
        {
            throw new DlmsProtocolException($"{list.Results.Length} results for {attributes.Length} attributes", 0);
        }

        return list.Results;
    }

    /// <summary>Assembles get-response-with-datablock blocks; null raw data and the result when the server ends the transfer with an error.</summary>
    private async Task<(byte[]? Raw, DataAccessResult Error)> ReceiveGetBlocksAsync(
        InvokeIdAndPriority invoke,
        GetResponseWithDataBlock first,
        CancellationToken cancellationToken)
    {
        var assembler = new BlockAssembler(Options.MaxAssembledResponseSize);
        GetResponseWithDataBlock block = first;
        while (true)
        {
            CheckInvoke(invoke, block.InvokeIdAndPriority);
            if (block.AccessResult is { } error)
            {
                return (null, error);
            }

            ClientLog.BlockReceived(_logger, "GET", block.BlockNumber, block.RawData.Length, block.LastBlock);
            if (assembler.Add(block))
            {
                return (assembler.ToArray(), DataAccessResult.Success);
            }

            XdlmsApdu next = await RequestAsync(new GetRequestNext(invoke, assembler.LastBlockNumber), cancellationToken).ConfigureAwait(false);
            block = next as GetResponseWithDataBlock ?? throw Unexpected(next, "get-response-with-datablock");
        }
    }

    private async Task<DataAccessResult> SetCoreAsync(
        CosemAttributeDescriptor attribute,
        DlmsValue value,
        SelectiveAccessDescriptor? access,
        CancellationToken cancellationToken)
    {
        InvokeIdAndPriority invoke = NextInvoke();
        var normal = new SetRequestNormal(invoke, attribute, value, access);
        if (FitsServer(normal.ToArray().Length))
        {
            XdlmsApdu reply = await RequestAsync(normal, cancellationToken).ConfigureAwait(false);
            SetResponseNormal response = reply as SetResponseNormal ?? throw Unexpected(reply, "set-response-normal");
            CheckInvoke(invoke, response.InvokeIdAndPriority);
            return response.Result;
        }

        RequireBlockTransfer(Conformance.BlockTransferWithSetOrWrite, "set");
        int overhead = new SetRequestWithFirstDatablock(invoke, attribute, new DataBlock(false, 1, ReadOnlyMemory<byte>.Empty), access)
            .ToArray().Length - 1;
        IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(value.ToArray(), MaxRequestBlockPayload(overhead));
        foreach (DataBlock block in blocks)
        {
            SetRequest request = block.BlockNumber == 1
                ? new SetRequestWithFirstDatablock(invoke, attribute, block, access)
                : new SetRequestWithDatablock(invoke, block);
            ClientLog.BlockSent(_logger, "SET", block.BlockNumber, block.RawData.Length, block.LastBlock);
            XdlmsApdu reply = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
            switch (reply)
            {
                case SetResponseDatablock ack when !block.LastBlock:
                    CheckInvoke(invoke, ack.InvokeIdAndPriority);
                    CheckAcknowledged(block.BlockNumber, ack.BlockNumber);
                    continue;
                case SetResponseLastDatablock last when block.LastBlock || last.Result != DataAccessResult.Success:
                    CheckInvoke(invoke, last.InvokeIdAndPriority);
                    CheckAcknowledged(block.BlockNumber, last.BlockNumber);
                    return last.Result;
                case SetResponseNormal refused when refused.Result != DataAccessResult.Success || block.LastBlock:
                    // A server that gives up on the transfer early says why in a normal set-response.
                    CheckInvoke(invoke, refused.InvokeIdAndPriority);
                    return refused.Result;
                default:
                    throw Unexpected(reply, block.LastBlock ? "set-response-last-datablock" : "set-response-datablock");
            }
        }

        throw new InvalidOperationException("unreachable: the last block returns");
    }

    private async Task<ActionInvocationResult> InvokeCoreAsync(CosemMethodDescriptor method, DlmsValue? parameters, CancellationToken cancellationToken)
    {
        InvokeIdAndPriority invoke = NextInvoke();
        var normal = new ActionRequestNormal(invoke, method, parameters);
        if (parameters is null || FitsServer(normal.ToArray().Length))
        {
            XdlmsApdu reply = await RequestAsync(normal, cancellationToken).ConfigureAwait(false);
            return await ReceiveActionResponseAsync(invoke, reply, cancellationToken).ConfigureAwait(false);
        }

        RequireBlockTransfer(Conformance.BlockTransferWithAction, "invoke");
        int overhead = new ActionRequestWithFirstPblock(invoke, method, new DataBlock(false, 1, ReadOnlyMemory<byte>.Empty)).ToArray().Length - 1;
        IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(parameters.ToArray(), MaxRequestBlockPayload(overhead));
        foreach (DataBlock block in blocks)
        {
            ActionRequest request = block.BlockNumber == 1
                ? new ActionRequestWithFirstPblock(invoke, method, block)
                : new ActionRequestWithPblock(invoke, block);
            ClientLog.BlockSent(_logger, "ACTION", block.BlockNumber, block.RawData.Length, block.LastBlock);
            XdlmsApdu reply = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
            if (block.LastBlock)
            {
                return await ReceiveActionResponseAsync(invoke, reply, cancellationToken).ConfigureAwait(false);
            }

            switch (reply)
            {
                case ActionResponseNextPblock ack:
                    CheckInvoke(invoke, ack.InvokeIdAndPriority);
                    CheckAcknowledged(block.BlockNumber, ack.BlockNumber);
                    continue;
                case ActionResponseNormal refused when refused.Response.Result != ActionResult.Success:
                    CheckInvoke(invoke, refused.InvokeIdAndPriority);
                    return ToResult(refused.Response);
                default:
                    throw Unexpected(reply, "action-response-next-pblock");
            }
        }

        throw new InvalidOperationException("unreachable: the last block returns");
    }

    /// <summary>
    /// The final action-response: normal, or return data in pblocks. The pblocks' raw data, concatenated, is the A-XDR
    /// encoding of the return data (the same convention the request pblocks use for the parameters).
    /// </summary>
    private async Task<ActionInvocationResult> ReceiveActionResponseAsync(InvokeIdAndPriority invoke, XdlmsApdu reply, CancellationToken cancellationToken)
    {
        if (reply is ActionResponseNormal normal)
        {
            CheckInvoke(invoke, normal.InvokeIdAndPriority);
            return ToResult(normal.Response);
        }

        if (reply is not ActionResponseWithPblock block)
        {
            throw Unexpected(reply, "action-response");
        }

        var assembler = new BlockAssembler(Options.MaxAssembledResponseSize);
        while (true)
        {
            CheckInvoke(invoke, block.InvokeIdAndPriority);
            ClientLog.BlockReceived(_logger, "ACTION", block.Block.BlockNumber, block.Block.RawData.Length, block.Block.LastBlock);
            if (assembler.Add(block.Block))
            {
                return new ActionInvocationResult(ActionResult.Success, AxdrDecoder.Decode(assembler.ToArray(), Options.DecodeLimits));
            }

            XdlmsApdu next = await RequestAsync(new ActionRequestNextPblock(invoke, assembler.LastBlockNumber), cancellationToken)
                .ConfigureAwait(false);
            block = next as ActionResponseWithPblock ?? throw Unexpected(next, "action-response-with-pblock");
        }
    }

    private static ActionInvocationResult ToResult(ActionResponseWithOptionalData response) =>
        response.ReturnParameters is not { } returned
            ? new ActionInvocationResult(response.Result)
            : returned.HasData
                ? new ActionInvocationResult(response.Result, returned.Data)
                : new ActionInvocationResult(response.Result, null, returned.AccessResult);

    private static void CheckAcknowledged(uint sent, uint acknowledged)
    {
        if (sent != acknowledged)
        {
            throw new DlmsProtocolException($"the server acknowledged block {acknowledged}, block {sent} was sent", 0);
        }
    }

    private void RequireBlockTransfer(Conformance service, string operation)
    {
        if (!NegotiatedConformance.HasFlag(service))
        {
            throw new InvalidOperationException(
                $"the request to {operation} exceeds the server's max PDU of {ServerMaxReceivePduSize} bytes and the server did not grant {service}");
        }
    }

    /// <summary>True when a plain APDU of <paramref name="plainLength"/> bytes, once protected, fits the server's max receive PDU.</summary>
    private bool FitsServer(int plainLength) => ProtectedLength(plainLength) <= ServerMaxReceivePduSize;

    /// <summary>The length of an APDU on the wire after the configured ciphering (the plain length when unciphered).</summary>
    private int ProtectedLength(int plainLength)
    {
        if (_cipher is null)
        {
            return plainLength;
        }

        int body = Suite0Cipher.HeaderLength + plainLength + (Options.SecurityPolicy.RequestControl().Authenticated ? Suite0Cipher.TagLength : 0);
        int envelope = Options.CipheringForm == CipheringForm.GeneralGlobal ? 2 + SystemTitle.Length : 1;
        return envelope + AxdrLengthSize(body) + body;
    }

    /// <summary>
    /// The most raw data one request block can carry when the request, without its raw data and the raw data's length
    /// field, is <paramref name="overhead"/> bytes.
    /// </summary>
    private int MaxRequestBlockPayload(int overhead)
    {
        int limit = ServerMaxReceivePduSize;
        for (int payload = limit - overhead; payload > 0; payload--)
        {
            if (ProtectedLength(overhead + AxdrLengthSize(payload) + payload) <= limit)
            {
                return payload;
            }
        }

        throw new InvalidOperationException($"the server's max PDU of {limit} bytes leaves no room for a block");
    }

    private static int AxdrLengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        _ => 5,
    };
}

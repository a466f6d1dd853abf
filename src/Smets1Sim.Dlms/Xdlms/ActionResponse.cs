using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Action-Response CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum ActionResponseType : byte
{
    /// <summary>action-response-normal [1].</summary>
    Normal = 1,
    /// <summary>action-response-with-pblock [2].</summary>
    WithPblock = 2,
    /// <summary>action-response-with-list [3].</summary>
    WithList = 3,
    /// <summary>action-response-next-pblock [4].</summary>
    NextPblock = 4,
}

/// <summary>
/// Action-Response-With-Optional-Data ::= SEQUENCE { result Action-Result, return-parameters Get-Data-Result
/// OPTIONAL } (Green Book 9.3): <c>result (00 | 01 (00 Data | 01 data-access-result))</c>.
/// </summary>
public sealed record ActionResponseWithOptionalData(ActionResult Result, GetDataResult? ReturnParameters = null)
{
    /// <summary>Smallest encoding: result plus an absent flag.</summary>
    internal const int MinSize = 2;

    internal void Write(IBufferWriter<byte> writer)
    {
        writer.WriteByte((byte)Result);
        if (ReturnParameters is null)
        {
            writer.WriteByte(0);
        }
        else
        {
            writer.WriteByte(1);
            ReturnParameters.Write(writer);
        }
    }

    internal static ActionResponseWithOptionalData Read(ref DlmsReader reader, AxdrLimits limits)
    {
        ActionResult result = XdlmsWire.ReadActionResult(ref reader);
        GetDataResult? parameters = XdlmsWire.ReadPresence(ref reader, "return-parameters")
            ? GetDataResult.Read(ref reader, limits)
            : null;
        return new ActionResponseWithOptionalData(result, parameters);
    }
}

/// <summary>
/// action-response [199] (Green Book 9.3):
/// <code>
/// C7 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record ActionResponse : XdlmsApdu
{
    private protected ActionResponse(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority, echoed from the request.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract ActionResponseType ResponseType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.ActionResponse;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)ResponseType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes an action-response that fills <paramref name="apdu"/>.</summary>
    public static ActionResponse Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<ActionResponse>(apdu, limits);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static ActionResponse Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.ActionResponse, "action-response");
        ActionResponseType type = XdlmsWire.ReadChoice<ActionResponseType>(ref reader, "action-response");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case ActionResponseType.Normal:
                return new ActionResponseNormal(invoke, ActionResponseWithOptionalData.Read(ref reader, limits));
            case ActionResponseType.WithPblock:
                return new ActionResponseWithPblock(invoke, DataBlock.Read(ref reader));
            case ActionResponseType.WithList:
            {
                int count = XdlmsWire.ReadCount(ref reader, "list-of-responses", ActionResponseWithOptionalData.MinSize);
                var items = ImmutableArray.CreateBuilder<ActionResponseWithOptionalData>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(ActionResponseWithOptionalData.Read(ref reader, limits));
                }

                return new ActionResponseWithList(invoke, items.MoveToImmutable());
            }

            default:
                return new ActionResponseNextPblock(invoke, reader.ReadUInt32("block-number"));
        }
    }
}

/// <summary>action-response-normal: <c>C7 01 invoke action-result (00 | 01 Get-Data-Result)</c>.</summary>
public sealed record ActionResponseNormal : ActionResponse
{
    /// <summary>Creates the response.</summary>
    public ActionResponseNormal(InvokeIdAndPriority invokeIdAndPriority, ActionResponseWithOptionalData response)
        : base(invokeIdAndPriority) => Response = XdlmsWire.NotNull(response, nameof(response));

    /// <summary>Creates the response from its result and optional return parameters.</summary>
    public ActionResponseNormal(InvokeIdAndPriority invokeIdAndPriority, ActionResult result, GetDataResult? returnParameters = null)
        : this(invokeIdAndPriority, new ActionResponseWithOptionalData(result, returnParameters))
    {
    }

    /// <summary>The single response.</summary>
    public ActionResponseWithOptionalData Response { get; }

    /// <inheritdoc />
    public override ActionResponseType ResponseType => ActionResponseType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => Response.Write(writer);
}

/// <summary>action-response-with-pblock: <c>C7 02 invoke DataBlock-SA</c>.</summary>
public sealed record ActionResponseWithPblock : ActionResponse
{
    /// <summary>Creates the response.</summary>
    public ActionResponseWithPblock(InvokeIdAndPriority invokeIdAndPriority, DataBlock block)
        : base(invokeIdAndPriority) => Block = XdlmsWire.NotNull(block, nameof(block));

    /// <summary>A block of the response (or, while the request is still arriving, an acknowledgement).</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override ActionResponseType ResponseType => ActionResponseType.WithPblock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => Block.Encode(writer);
}

/// <summary>action-response-with-list: <c>C7 03 invoke count {Action-Response-With-Optional-Data}*count</c>.</summary>
public sealed record ActionResponseWithList : ActionResponse
{
    /// <summary>Creates the response.</summary>
    public ActionResponseWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<ActionResponseWithOptionalData> responses)
        : base(invokeIdAndPriority) => Responses = XdlmsWire.NotDefault(responses, nameof(responses));

    /// <summary>One response per invoked method.</summary>
    public ImmutableArray<ActionResponseWithOptionalData> Responses { get; }

    /// <inheritdoc />
    public override ActionResponseType ResponseType => ActionResponseType.WithList;

    /// <inheritdoc />
    public bool Equals(ActionResponseWithList? other) => base.Equals(other) && XdlmsWire.SequenceEquals(Responses, other.Responses);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Responses));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteCount(writer, Responses.Length);
        foreach (ActionResponseWithOptionalData item in Responses)
        {
            item.Write(writer);
        }
    }
}

/// <summary>action-response-next-pblock: <c>C7 04 invoke block-number(u32)</c>, acknowledging a request block.</summary>
public sealed record ActionResponseNextPblock : ActionResponse
{
    /// <summary>Creates the response.</summary>
    public ActionResponseNextPblock(InvokeIdAndPriority invokeIdAndPriority, uint blockNumber)
        : base(invokeIdAndPriority) => BlockNumber = blockNumber;

    /// <summary>The number of the block received.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override ActionResponseType ResponseType => ActionResponseType.NextPblock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => writer.WriteUInt32(BlockNumber);
}

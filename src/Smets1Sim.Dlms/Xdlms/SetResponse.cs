using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Set-Response CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum SetResponseType : byte
{
    /// <summary>set-response-normal [1].</summary>
    Normal = 1,
    /// <summary>set-response-datablock [2].</summary>
    Datablock = 2,
    /// <summary>set-response-last-datablock [3].</summary>
    LastDatablock = 3,
    /// <summary>set-response-last-datablock-with-list [4].</summary>
    LastDatablockWithList = 4,
    /// <summary>set-response-with-list [5].</summary>
    WithList = 5,
}

/// <summary>
/// set-response [197] (Green Book 9.3):
/// <code>
/// C5 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record SetResponse : XdlmsApdu
{
    private protected SetResponse(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority, echoed from the request.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract SetResponseType ResponseType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.SetResponse;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)ResponseType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes a set-response that fills <paramref name="apdu"/>.</summary>
    public static SetResponse Decode(ReadOnlySpan<byte> apdu) => XdlmsApduCodec.Decode<SetResponse>(apdu);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static SetResponse Read(ref DlmsReader reader)
    {
        reader.Expect((byte)XdlmsTag.SetResponse, "set-response");
        SetResponseType type = XdlmsWire.ReadChoice<SetResponseType>(ref reader, "set-response");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case SetResponseType.Normal:
                return new SetResponseNormal(invoke, XdlmsWire.ReadDataAccessResult(ref reader));
            case SetResponseType.Datablock:
                return new SetResponseDatablock(invoke, reader.ReadUInt32("block-number"));
            case SetResponseType.LastDatablock:
            {
                DataAccessResult result = XdlmsWire.ReadDataAccessResult(ref reader);
                return new SetResponseLastDatablock(invoke, result, reader.ReadUInt32("block-number"));
            }

            case SetResponseType.LastDatablockWithList:
            {
                // The list is followed by a u32, so each element's byte plus those 4 must remain.
                ImmutableArray<DataAccessResult> results = ReadResults(ref reader, trailer: 4);
                return new SetResponseLastDatablockWithList(invoke, results, reader.ReadUInt32("block-number"));
            }

            default:
                return new SetResponseWithList(invoke, ReadResults(ref reader, trailer: 0));
        }
    }

    private protected static void WriteResults(IBufferWriter<byte> writer, ImmutableArray<DataAccessResult> results)
    {
        XdlmsWire.WriteCount(writer, results.Length);
        foreach (DataAccessResult result in results)
        {
            writer.WriteByte((byte)result);
        }
    }

    private static ImmutableArray<DataAccessResult> ReadResults(ref DlmsReader reader, int trailer)
    {
        int count = XdlmsWire.ReadCount(ref reader, "data-access-result list", 1, trailer);

        var items = ImmutableArray.CreateBuilder<DataAccessResult>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(XdlmsWire.ReadDataAccessResult(ref reader));
        }

        return items.MoveToImmutable();
    }
}

/// <summary>set-response-normal: <c>C5 01 invoke data-access-result</c>.</summary>
public sealed record SetResponseNormal : SetResponse
{
    /// <summary>Creates the response.</summary>
    public SetResponseNormal(InvokeIdAndPriority invokeIdAndPriority, DataAccessResult result)
        : base(invokeIdAndPriority) => Result = result;

    /// <summary>The outcome.</summary>
    public DataAccessResult Result { get; }

    /// <inheritdoc />
    public override SetResponseType ResponseType => SetResponseType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => writer.WriteByte((byte)Result);
}

/// <summary>set-response-datablock: <c>C5 02 invoke block-number(u32)</c>, acknowledging one block.</summary>
public sealed record SetResponseDatablock : SetResponse
{
    /// <summary>Creates the response.</summary>
    public SetResponseDatablock(InvokeIdAndPriority invokeIdAndPriority, uint blockNumber)
        : base(invokeIdAndPriority) => BlockNumber = blockNumber;

    /// <summary>The block acknowledged.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override SetResponseType ResponseType => SetResponseType.Datablock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => writer.WriteUInt32(BlockNumber);
}

/// <summary>set-response-last-datablock: <c>C5 03 invoke data-access-result block-number(u32)</c>.</summary>
public sealed record SetResponseLastDatablock : SetResponse
{
    /// <summary>Creates the response.</summary>
    public SetResponseLastDatablock(InvokeIdAndPriority invokeIdAndPriority, DataAccessResult result, uint blockNumber)
        : base(invokeIdAndPriority)
    {
        Result = result;
        BlockNumber = blockNumber;
    }

    /// <summary>The outcome of the whole write.</summary>
    public DataAccessResult Result { get; }

    /// <summary>The last block received.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override SetResponseType ResponseType => SetResponseType.LastDatablock;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        writer.WriteByte((byte)Result);
        writer.WriteUInt32(BlockNumber);
    }
}

/// <summary>
/// set-response-last-datablock-with-list: <c>C5 04 invoke count {data-access-result}*count block-number(u32)</c>.
/// </summary>
public sealed record SetResponseLastDatablockWithList : SetResponse
{
    /// <summary>Creates the response.</summary>
    public SetResponseLastDatablockWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<DataAccessResult> results, uint blockNumber)
        : base(invokeIdAndPriority)
    {
        Results = XdlmsWire.NotDefault(results, nameof(results));
        BlockNumber = blockNumber;
    }

    /// <summary>One outcome per attribute.</summary>
    public ImmutableArray<DataAccessResult> Results { get; }

    /// <summary>The last block received.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override SetResponseType ResponseType => SetResponseType.LastDatablockWithList;

    /// <inheritdoc />
    public bool Equals(SetResponseLastDatablockWithList? other)
        => base.Equals(other) && BlockNumber == other.BlockNumber && XdlmsWire.SequenceEquals(Results, other.Results);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), BlockNumber, XdlmsWire.SequenceHash(Results));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        WriteResults(writer, Results);
        writer.WriteUInt32(BlockNumber);
    }
}

/// <summary>set-response-with-list: <c>C5 05 invoke count {data-access-result}*count</c>.</summary>
public sealed record SetResponseWithList : SetResponse
{
    /// <summary>Creates the response.</summary>
    public SetResponseWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<DataAccessResult> results)
        : base(invokeIdAndPriority) => Results = XdlmsWire.NotDefault(results, nameof(results));

    /// <summary>One outcome per attribute.</summary>
    public ImmutableArray<DataAccessResult> Results { get; }

    /// <inheritdoc />
    public override SetResponseType ResponseType => SetResponseType.WithList;

    /// <inheritdoc />
    public bool Equals(SetResponseWithList? other) => base.Equals(other) && XdlmsWire.SequenceEquals(Results, other.Results);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Results));

    private protected override void EncodeBody(IBufferWriter<byte> writer) => WriteResults(writer, Results);
}

using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Get-Response CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum GetResponseType : byte
{
    /// <summary>get-response-normal [1].</summary>
    Normal = 1,
    /// <summary>get-response-with-datablock [2].</summary>
    WithDataBlock = 2,
    /// <summary>get-response-with-list [3].</summary>
    WithList = 3,
}

/// <summary>
/// get-response [196] (Green Book 9.3):
/// <code>
/// C4 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record GetResponse : XdlmsApdu
{
    private protected GetResponse(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority, echoed from the request.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract GetResponseType ResponseType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.GetResponse;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)ResponseType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes a get-response that fills <paramref name="apdu"/>.</summary>
    public static GetResponse Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<GetResponse>(apdu, limits);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static GetResponse Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.GetResponse, "get-response");
        GetResponseType type = XdlmsWire.ReadChoice<GetResponseType>(ref reader, "get-response");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case GetResponseType.Normal:
                return new GetResponseNormal(invoke, GetDataResult.Read(ref reader, limits));
            case GetResponseType.WithDataBlock:
                return GetResponseWithDataBlock.ReadBody(ref reader, invoke);
            default:
            {
                int count = XdlmsWire.ReadCount(ref reader, "Get-Data-Result list", GetDataResult.MinSize);
                var items = ImmutableArray.CreateBuilder<GetDataResult>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(GetDataResult.Read(ref reader, limits));
                }

                return new GetResponseWithList(invoke, items.MoveToImmutable());
            }
        }
    }
}

/// <summary>get-response-normal: <c>C4 01 invoke (00 Data | 01 data-access-result)</c>.</summary>
public sealed record GetResponseNormal : GetResponse
{
    /// <summary>Creates the response.</summary>
    public GetResponseNormal(InvokeIdAndPriority invokeIdAndPriority, GetDataResult result)
        : base(invokeIdAndPriority) => Result = XdlmsWire.NotNull(result, nameof(result));

    /// <summary>The value read, or why there is none.</summary>
    public GetDataResult Result { get; }

    /// <inheritdoc />
    public override GetResponseType ResponseType => GetResponseType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => Result.Write(writer);
}

/// <summary>
/// get-response-with-datablock (DataBlock-G, Green Book 9.3):
/// <code>
/// C4 02 invoke | last-block (bool) | block-number (u32) | 00 len raw-data  -- or --  01 data-access-result
/// </code>
/// The raw data of all blocks, concatenated, is the A-XDR encoding of the attribute value. Equality compares
/// the raw-data contents; the encoder does not copy <see cref="RawData"/>.
/// </summary>
public sealed record GetResponseWithDataBlock : GetResponse
{
    /// <summary>A block carrying raw data.</summary>
    public GetResponseWithDataBlock(InvokeIdAndPriority invokeIdAndPriority, bool lastBlock, uint blockNumber, ReadOnlyMemory<byte> rawData)
        : base(invokeIdAndPriority)
    {
        LastBlock = lastBlock;
        BlockNumber = blockNumber;
        RawData = rawData;
    }

    /// <summary>A block reporting that the transfer failed (e.g. <see cref="DataAccessResult.DataBlockNumberInvalid"/>).</summary>
    public GetResponseWithDataBlock(InvokeIdAndPriority invokeIdAndPriority, bool lastBlock, uint blockNumber, DataAccessResult accessResult)
        : base(invokeIdAndPriority)
    {
        LastBlock = lastBlock;
        BlockNumber = blockNumber;
        AccessResult = accessResult;
    }

    /// <summary>True on the final block.</summary>
    public bool LastBlock { get; }

    /// <summary>Block number, 1 for the first block.</summary>
    public uint BlockNumber { get; }

    /// <summary>The raw-data alternative (empty when <see cref="AccessResult"/> is set).</summary>
    public ReadOnlyMemory<byte> RawData { get; }

    /// <summary>The data-access-result alternative, or null for raw data.</summary>
    public DataAccessResult? AccessResult { get; }

    /// <inheritdoc />
    public override GetResponseType ResponseType => GetResponseType.WithDataBlock;

    /// <summary>Bytes this APDU needs besides its raw data: header, last-block, block-number, CHOICE and length.</summary>
    public static int Overhead(int rawDataLength) => 3 + 1 + 4 + 1 + AxdrLengthSize(rawDataLength);

    /// <inheritdoc />
    public bool Equals(GetResponseWithDataBlock? other)
        => base.Equals(other)
            && LastBlock == other.LastBlock
            && BlockNumber == other.BlockNumber
            && AccessResult == other.AccessResult
            && RawData.Span.SequenceEqual(other.RawData.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), LastBlock, BlockNumber, AccessResult, XdlmsWire.BytesHash(RawData));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteBoolean(writer, LastBlock);
        writer.WriteUInt32(BlockNumber);
        if (AccessResult is { } result)
        {
            writer.WriteByte(1);
            writer.WriteByte((byte)result);
        }
        else
        {
            writer.WriteByte(0);
            XdlmsWire.WriteOctetString(writer, RawData.Span);
        }
    }

    internal static GetResponseWithDataBlock ReadBody(ref DlmsReader reader, InvokeIdAndPriority invoke)
    {
        bool last = XdlmsWire.ReadBoolean(ref reader, "last-block");
        uint number = reader.ReadUInt32("block-number");
        byte choice = reader.PeekByte("DataBlock-G result choice");
        switch (choice)
        {
            case 0:
                reader.ReadByte("DataBlock-G result choice");
                return new GetResponseWithDataBlock(invoke, last, number, XdlmsWire.ReadOctetString(ref reader, "raw-data"));
            case 1:
                reader.ReadByte("DataBlock-G result choice");
                return new GetResponseWithDataBlock(invoke, last, number, XdlmsWire.ReadDataAccessResult(ref reader));
            default:
                throw reader.Error($"unknown DataBlock-G result choice {choice}");
        }
    }

    internal static int AxdrLengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        _ => 5,
    };
}

/// <summary>get-response-with-list: <c>C4 03 invoke count {Get-Data-Result}*count</c>.</summary>
public sealed record GetResponseWithList : GetResponse
{
    /// <summary>Creates the response.</summary>
    public GetResponseWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<GetDataResult> results)
        : base(invokeIdAndPriority) => Results = XdlmsWire.NotDefault(results, nameof(results));

    /// <summary>One result per requested attribute, in request order.</summary>
    public ImmutableArray<GetDataResult> Results { get; }

    /// <inheritdoc />
    public override GetResponseType ResponseType => GetResponseType.WithList;

    /// <inheritdoc />
    public bool Equals(GetResponseWithList? other) => base.Equals(other) && XdlmsWire.SequenceEquals(Results, other.Results);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Results));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteCount(writer, Results.Length);
        foreach (GetDataResult item in Results)
        {
            item.Write(writer);
        }
    }
}

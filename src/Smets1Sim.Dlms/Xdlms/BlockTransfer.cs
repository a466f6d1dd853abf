using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Service-specific block transfer (Green Book 9.3, GET/SET/ACTION "with datablock"/"pblock"): an encoded value
/// too long for one APDU travels as raw-data blocks numbered from 1, the last one flagged. Pure functions; the
/// session layer sends the APDUs and waits for the acknowledgements.
/// </summary>
public static class BlockTransfer
{
    /// <summary>
    /// Cuts <paramref name="data"/> into DataBlock-SA blocks of at most <paramref name="maxBlockPayload"/> bytes,
    /// numbered 1, 2, ..., the last flagged. Empty data gives one empty last block.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBlockPayload"/> is below 1.</exception>
    public static IReadOnlyList<DataBlock> Split(ReadOnlySpan<byte> data, int maxBlockPayload)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockPayload, 1);
        int count = Math.Max(1, (data.Length + maxBlockPayload - 1) / maxBlockPayload);
        var blocks = new DataBlock[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * maxBlockPayload;
            int length = Math.Min(maxBlockPayload, data.Length - start);
            blocks[i] = new DataBlock(i == count - 1, (uint)(i + 1), data.Slice(start, length).ToArray());
        }

        return blocks;
    }
}

/// <summary>Server side of GET with block transfer (get-response-with-datablock, Green Book 9.3).</summary>
public static class GetBlockTransfer
{
    /// <summary>
    /// Cuts the A-XDR encoding of an attribute value into get-response-with-datablock APDUs of at most
    /// <paramref name="maxBlockPayload"/> raw bytes each, numbered from 1, all carrying <paramref name="invoke"/>.
    /// </summary>
    public static IReadOnlyList<GetResponseWithDataBlock> Split(InvokeIdAndPriority invoke, ReadOnlySpan<byte> encodedData, int maxBlockPayload)
    {
        IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(encodedData, maxBlockPayload);
        var responses = new GetResponseWithDataBlock[blocks.Count];
        for (int i = 0; i < responses.Length; i++)
        {
            responses[i] = new GetResponseWithDataBlock(invoke, blocks[i].LastBlock, blocks[i].BlockNumber, blocks[i].RawData);
        }

        return responses;
    }

    /// <summary>
    /// The most raw data one get-response-with-datablock can carry when the APDU may be at most
    /// <paramref name="maxApduSize"/> bytes (the negotiated max PDU size less any ciphering overhead).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not even one byte of raw data fits.</exception>
    public static int MaxBlockPayload(int maxApduSize)
    {
        int payload = maxApduSize - GetResponseWithDataBlock.Overhead(0);
        // The length field grows with the payload: step down until header + length field + payload fit.
        while (payload > 0 && (long)GetResponseWithDataBlock.Overhead(payload) + payload > maxApduSize)
        {
            payload--;
        }

        return payload >= 1
            ? payload
            : throw new ArgumentOutOfRangeException(nameof(maxApduSize), maxApduSize, "too small for a get-response-with-datablock");
    }

    /// <summary>
    /// The response(s) for a successful GET of <paramref name="value"/>: one get-response-normal when it fits in
    /// <paramref name="maxApduSize"/> bytes, otherwise the get-response-with-datablock sequence.
    /// </summary>
    public static IReadOnlyList<GetResponse> CreateResponses(InvokeIdAndPriority invoke, DlmsValue value, int maxApduSize)
    {
        ArgumentNullException.ThrowIfNull(value);
        var normal = new GetResponseNormal(invoke, GetDataResult.FromData(value));
        byte[] encoded = normal.ToArray();
        if (encoded.Length <= maxApduSize)
        {
            return [normal];
        }

        // get-response-normal is C4 01 invoke 00 <Data>: the Data encoding starts at offset 4.
        return [.. Split(invoke, encoded.AsSpan(4), MaxBlockPayload(maxApduSize))];
    }
}

/// <summary>
/// Receiving side of a block transfer (client for GET, server for SET and ACTION request blocks, client for
/// ACTION response blocks): accepts blocks strictly in order from 1, caps the total size before growing its
/// buffer, and hands back the concatenated raw data when the last block arrives.
/// <para>
/// Defects of the peer's block sequence throw <see cref="DlmsProtocolException"/> with
/// <see cref="DlmsProtocolException.Offset"/> 0: they concern the sequence, not a byte of one APDU. A failed
/// <c>Add</c> leaves the assembler unchanged.
/// </para>
/// </summary>
public sealed class BlockAssembler
{
    private byte[] _buffer = [];
    private int _length;

    /// <summary>Creates an assembler that refuses more than <paramref name="maxTotalSize"/> bytes in total.</summary>
    public BlockAssembler(int maxTotalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTotalSize);
        MaxTotalSize = maxTotalSize;
    }

    /// <summary>The configured cap on the assembled size.</summary>
    public int MaxTotalSize { get; }

    /// <summary>The block number the next <c>Add</c> must carry (1 for the first).</summary>
    public uint NextBlockNumber { get; private set; } = 1;

    /// <summary>The number of the last block accepted (0 before the first): what get-request-next acknowledges.</summary>
    public uint LastBlockNumber => NextBlockNumber - 1;

    /// <summary>True once the last block was accepted.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Bytes assembled so far.</summary>
    public int Length => _length;

    /// <summary>Adds one block; returns true when it was the last one.</summary>
    /// <exception cref="DlmsProtocolException">Wrong block number, an empty block that is not the last, or the size cap.</exception>
    /// <exception cref="InvalidOperationException">The transfer is already complete.</exception>
    public bool Add(uint blockNumber, bool lastBlock, ReadOnlySpan<byte> rawData)
    {
        if (IsComplete)
        {
            throw new InvalidOperationException("the block transfer is already complete");
        }

        if (blockNumber != NextBlockNumber)
        {
            throw new DlmsProtocolException($"block {blockNumber} out of sequence: expected block {NextBlockNumber}", 0);
        }

        // An empty block that is not the last makes no progress: a peer could stall the transfer forever.
        if (rawData.IsEmpty && !lastBlock)
        {
            throw new DlmsProtocolException($"block {blockNumber} is empty but not the last", 0);
        }

        if (rawData.Length > MaxTotalSize - _length)
        {
            throw new DlmsProtocolException(
                $"block {blockNumber} would bring the transfer to {(long)_length + rawData.Length} bytes, above the limit of {MaxTotalSize}", 0);
        }

        int needed = _length + rawData.Length;
        if (needed > _buffer.Length)
        {
            int grown = (int)Math.Min(MaxTotalSize, Math.Max(needed, 2L * _buffer.Length));
            Array.Resize(ref _buffer, grown);
        }

        rawData.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
        NextBlockNumber++;
        IsComplete = lastBlock;
        return lastBlock;
    }

    /// <summary>Adds a DataBlock-SA (SET with-datablock, ACTION pblock).</summary>
    public bool Add(DataBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return Add(block.BlockNumber, block.LastBlock, block.RawData.Span);
    }

    /// <summary>Adds a GET block.</summary>
    /// <exception cref="ArgumentException">The block carries a data-access-result instead of raw data: the
    /// server ended the transfer, which the caller must handle before adding.</exception>
    public bool Add(GetResponseWithDataBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.AccessResult is { } result)
        {
            throw new ArgumentException($"the block carries data-access-result {result}, not raw data", nameof(block));
        }

        return Add(block.BlockNumber, block.LastBlock, block.RawData.Span);
    }

    /// <summary>The assembled bytes; only once <see cref="IsComplete"/>.</summary>
    /// <exception cref="InvalidOperationException">The last block has not arrived.</exception>
    public byte[] ToArray()
        => IsComplete ? _buffer.AsSpan(0, _length).ToArray() : throw new InvalidOperationException("the block transfer is not complete");

    /// <summary>Decodes the assembled bytes as one A-XDR value (the GET case).</summary>
    /// <exception cref="InvalidOperationException">The last block has not arrived.</exception>
    /// <exception cref="DlmsProtocolException">The bytes are not exactly one valid value.</exception>
    public DlmsValue DecodeValue(AxdrLimits? limits = null)
        => IsComplete ? AxdrDecoder.Decode(_buffer.AsSpan(0, _length), limits) : throw new InvalidOperationException("the block transfer is not complete");
}

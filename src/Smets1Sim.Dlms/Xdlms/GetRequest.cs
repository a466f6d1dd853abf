using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Get-Request CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum GetRequestType : byte
{
    /// <summary>get-request-normal [1].</summary>
    Normal = 1,
    /// <summary>get-request-next [2].</summary>
    Next = 2,
    /// <summary>get-request-with-list [3].</summary>
    WithList = 3,
}

/// <summary>
/// get-request [192] (Green Book 9.3):
/// <code>
/// C0 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record GetRequest : XdlmsApdu
{
    private protected GetRequest(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority; the response echoes it.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract GetRequestType RequestType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.GetRequest;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)RequestType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes a get-request that fills <paramref name="apdu"/>.</summary>
    public static GetRequest Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<GetRequest>(apdu, limits);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static GetRequest Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.GetRequest, "get-request");
        GetRequestType type = XdlmsWire.ReadChoice<GetRequestType>(ref reader, "get-request");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case GetRequestType.Normal:
            {
                CosemAttributeDescriptor descriptor = CosemAttributeDescriptor.Read(ref reader);
                return new GetRequestNormal(invoke, descriptor, SelectiveAccessDescriptor.ReadOptional(ref reader, limits));
            }

            case GetRequestType.Next:
                return new GetRequestNext(invoke, reader.ReadUInt32("block-number"));
            default:
            {
                int count = XdlmsWire.ReadCount(ref reader, "attribute-descriptor-list", CosemAttributeDescriptorWithSelection.MinSize);
                var items = ImmutableArray.CreateBuilder<CosemAttributeDescriptorWithSelection>(count);
                for (int i = 0; i < count; i++)
                {
                    items.Add(CosemAttributeDescriptorWithSelection.Read(ref reader, limits));
                }

                return new GetRequestWithList(invoke, items.MoveToImmutable());
            }
        }
    }
}

/// <summary>
/// get-request-normal: <c>C0 01 invoke descriptor(9) access-selection(00 | 01 selector Data)</c>.
/// </summary>
public sealed record GetRequestNormal : GetRequest
{
    /// <summary>Creates the request; <paramref name="accessSelection"/> null = the whole attribute.</summary>
    public GetRequestNormal(InvokeIdAndPriority invokeIdAndPriority, CosemAttributeDescriptor descriptor, SelectiveAccessDescriptor? accessSelection = null)
        : base(invokeIdAndPriority)
    {
        Descriptor = XdlmsWire.NotNull(descriptor, nameof(descriptor));
        AccessSelection = accessSelection;
    }

    /// <summary>The attribute to read.</summary>
    public CosemAttributeDescriptor Descriptor { get; }

    /// <summary>Selective access, or null.</summary>
    public SelectiveAccessDescriptor? AccessSelection { get; }

    /// <inheritdoc />
    public override GetRequestType RequestType => GetRequestType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        Descriptor.Encode(writer);
        SelectiveAccessDescriptor.WriteOptional(writer, AccessSelection);
    }
}

/// <summary>
/// get-request-next: <c>C0 02 invoke block-number(u32)</c>, the number of the last block received.
/// </summary>
public sealed record GetRequestNext : GetRequest
{
    /// <summary>Creates the request.</summary>
    public GetRequestNext(InvokeIdAndPriority invokeIdAndPriority, uint blockNumber)
        : base(invokeIdAndPriority) => BlockNumber = blockNumber;

    /// <summary>The number of the block the client received last.</summary>
    public uint BlockNumber { get; }

    /// <inheritdoc />
    public override GetRequestType RequestType => GetRequestType.Next;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => writer.WriteUInt32(BlockNumber);
}

/// <summary>
/// get-request-with-list: <c>C0 03 invoke count {descriptor access-selection}*count</c>.
/// </summary>
public sealed record GetRequestWithList : GetRequest
{
    /// <summary>Creates the request.</summary>
    public GetRequestWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors)
        : base(invokeIdAndPriority) => Descriptors = XdlmsWire.NotDefault(descriptors, nameof(descriptors));

    /// <summary>The attributes to read, in order.</summary>
    public ImmutableArray<CosemAttributeDescriptorWithSelection> Descriptors { get; }

    /// <inheritdoc />
    public override GetRequestType RequestType => GetRequestType.WithList;

    /// <inheritdoc />
    public bool Equals(GetRequestWithList? other) => base.Equals(other) && XdlmsWire.SequenceEquals(Descriptors, other.Descriptors);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Descriptors));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteCount(writer, Descriptors.Length);
        foreach (CosemAttributeDescriptorWithSelection item in Descriptors)
        {
            item.Write(writer);
        }
    }
}

using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>Set-Request CHOICE alternatives (Green Book 9.3), with their wire values.</summary>
public enum SetRequestType : byte
{
    /// <summary>set-request-normal [1].</summary>
    Normal = 1,
    /// <summary>set-request-with-first-datablock [2].</summary>
    WithFirstDatablock = 2,
    /// <summary>set-request-with-datablock [3].</summary>
    WithDatablock = 3,
    /// <summary>set-request-with-list [4].</summary>
    WithList = 4,
    /// <summary>set-request-with-list-and-first-datablock [5].</summary>
    WithListAndFirstDatablock = 5,
}

/// <summary>
/// set-request [193] (Green Book 9.3):
/// <code>
/// C1 | choice | invoke-id-and-priority | body
/// </code>
/// </summary>
public abstract record SetRequest : XdlmsApdu
{
    private protected SetRequest(InvokeIdAndPriority invokeIdAndPriority) => InvokeIdAndPriority = invokeIdAndPriority;

    /// <summary>Invoke-id and priority; the response echoes it.</summary>
    public InvokeIdAndPriority InvokeIdAndPriority { get; }

    /// <summary>The CHOICE alternative.</summary>
    public abstract SetRequestType RequestType { get; }

    /// <inheritdoc />
    public sealed override XdlmsTag Tag => XdlmsTag.SetRequest;

    /// <inheritdoc />
    public sealed override void Encode(IBufferWriter<byte> writer)
    {
        XdlmsWire.WriteHeader(writer, Tag, (byte)RequestType, InvokeIdAndPriority);
        EncodeBody(writer);
    }

    /// <summary>Decodes a set-request that fills <paramref name="apdu"/>.</summary>
    public static SetRequest Decode(ReadOnlySpan<byte> apdu, AxdrLimits? limits = null) => XdlmsApduCodec.Decode<SetRequest>(apdu, limits);

    private protected abstract void EncodeBody(IBufferWriter<byte> writer);

    internal static SetRequest Read(ref DlmsReader reader, AxdrLimits limits)
    {
        reader.Expect((byte)XdlmsTag.SetRequest, "set-request");
        SetRequestType type = XdlmsWire.ReadChoice<SetRequestType>(ref reader, "set-request");
        InvokeIdAndPriority invoke = XdlmsWire.ReadInvoke(ref reader);
        switch (type)
        {
            case SetRequestType.Normal:
            {
                CosemAttributeDescriptor descriptor = CosemAttributeDescriptor.Read(ref reader);
                SelectiveAccessDescriptor? selection = SelectiveAccessDescriptor.ReadOptional(ref reader, limits);
                return new SetRequestNormal(invoke, descriptor, XdlmsWire.ReadData(ref reader, limits), selection);
            }

            case SetRequestType.WithFirstDatablock:
            {
                CosemAttributeDescriptor descriptor = CosemAttributeDescriptor.Read(ref reader);
                SelectiveAccessDescriptor? selection = SelectiveAccessDescriptor.ReadOptional(ref reader, limits);
                return new SetRequestWithFirstDatablock(invoke, descriptor, DataBlock.Read(ref reader), selection);
            }

            case SetRequestType.WithDatablock:
                return new SetRequestWithDatablock(invoke, DataBlock.Read(ref reader));
            case SetRequestType.WithList:
            {
                ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors = ReadDescriptorList(ref reader, limits);
                int countAt = reader.Position;
                int count = XdlmsWire.ReadCount(ref reader, "value-list", 1);
                if (count != descriptors.Length)
                {
                    reader.Rewind(countAt);
                    throw reader.Error($"value-list has {count} values for {descriptors.Length} attributes");
                }

                var values = ImmutableArray.CreateBuilder<DlmsValue>(count);
                for (int i = 0; i < count; i++)
                {
                    values.Add(XdlmsWire.ReadData(ref reader, limits));
                }

                return new SetRequestWithList(invoke, descriptors, values.MoveToImmutable());
            }

            default:
            {
                ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors = ReadDescriptorList(ref reader, limits);
                return new SetRequestWithListAndFirstDatablock(invoke, descriptors, DataBlock.Read(ref reader));
            }
        }
    }

    private protected static void WriteDescriptorList(IBufferWriter<byte> writer, ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors)
    {
        XdlmsWire.WriteCount(writer, descriptors.Length);
        foreach (CosemAttributeDescriptorWithSelection item in descriptors)
        {
            item.Write(writer);
        }
    }

    private static ImmutableArray<CosemAttributeDescriptorWithSelection> ReadDescriptorList(ref DlmsReader reader, AxdrLimits limits)
    {
        int count = XdlmsWire.ReadCount(ref reader, "attribute-descriptor-list", CosemAttributeDescriptorWithSelection.MinSize);
        var items = ImmutableArray.CreateBuilder<CosemAttributeDescriptorWithSelection>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(CosemAttributeDescriptorWithSelection.Read(ref reader, limits));
        }

        return items.MoveToImmutable();
    }
}

/// <summary>
/// set-request-normal: <c>C1 01 invoke descriptor(9) access-selection(00 | 01 selector Data) value(Data)</c>.
/// </summary>
public sealed record SetRequestNormal : SetRequest
{
    /// <summary>Creates the request; <paramref name="accessSelection"/> null = the whole attribute.</summary>
    public SetRequestNormal(InvokeIdAndPriority invokeIdAndPriority, CosemAttributeDescriptor descriptor, DlmsValue value, SelectiveAccessDescriptor? accessSelection = null)
        : base(invokeIdAndPriority)
    {
        Descriptor = XdlmsWire.NotNull(descriptor, nameof(descriptor));
        Value = XdlmsWire.NotNull(value, nameof(value));
        AccessSelection = accessSelection;
    }

    /// <summary>The attribute to write.</summary>
    public CosemAttributeDescriptor Descriptor { get; }

    /// <summary>Selective access, or null.</summary>
    public SelectiveAccessDescriptor? AccessSelection { get; }

    /// <summary>The value to write.</summary>
    public DlmsValue Value { get; }

    /// <inheritdoc />
    public override SetRequestType RequestType => SetRequestType.Normal;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        Descriptor.Encode(writer);
        SelectiveAccessDescriptor.WriteOptional(writer, AccessSelection);
        XdlmsWire.WriteData(writer, Value);
    }
}

/// <summary>
/// set-request-with-first-datablock:
/// <c>C1 02 invoke descriptor(9) access-selection(00 | 01 selector Data) DataBlock-SA</c>.
/// </summary>
public sealed record SetRequestWithFirstDatablock : SetRequest
{
    /// <summary>Creates the request.</summary>
    public SetRequestWithFirstDatablock(InvokeIdAndPriority invokeIdAndPriority, CosemAttributeDescriptor descriptor, DataBlock block, SelectiveAccessDescriptor? accessSelection = null)
        : base(invokeIdAndPriority)
    {
        Descriptor = XdlmsWire.NotNull(descriptor, nameof(descriptor));
        Block = XdlmsWire.NotNull(block, nameof(block));
        AccessSelection = accessSelection;
    }

    /// <summary>The attribute to write.</summary>
    public CosemAttributeDescriptor Descriptor { get; }

    /// <summary>Selective access, or null.</summary>
    public SelectiveAccessDescriptor? AccessSelection { get; }

    /// <summary>The first block of the encoded value.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override SetRequestType RequestType => SetRequestType.WithFirstDatablock;

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        Descriptor.Encode(writer);
        SelectiveAccessDescriptor.WriteOptional(writer, AccessSelection);
        Block.Encode(writer);
    }
}

/// <summary>set-request-with-datablock: <c>C1 03 invoke DataBlock-SA</c>.</summary>
public sealed record SetRequestWithDatablock : SetRequest
{
    /// <summary>Creates the request.</summary>
    public SetRequestWithDatablock(InvokeIdAndPriority invokeIdAndPriority, DataBlock block)
        : base(invokeIdAndPriority) => Block = XdlmsWire.NotNull(block, nameof(block));

    /// <summary>The next block.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override SetRequestType RequestType => SetRequestType.WithDatablock;

    private protected override void EncodeBody(IBufferWriter<byte> writer) => Block.Encode(writer);
}

/// <summary>
/// set-request-with-list: <c>C1 04 invoke count {descriptor access-selection}*count count {Data}*count</c>.
/// Both lists have the same length (checked on decode and construction).
/// </summary>
public sealed record SetRequestWithList : SetRequest
{
    /// <summary>Creates the request.</summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public SetRequestWithList(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors, ImmutableArray<DlmsValue> values)
        : base(invokeIdAndPriority)
    {
        Descriptors = XdlmsWire.NotDefault(descriptors, nameof(descriptors));
        Values = XdlmsWire.NotDefault(values, nameof(values));
        if (descriptors.Length != values.Length)
        {
            throw new ArgumentException($"{values.Length} values for {descriptors.Length} attributes", nameof(values));
        }
    }

    /// <summary>The attributes to write.</summary>
    public ImmutableArray<CosemAttributeDescriptorWithSelection> Descriptors { get; }

    /// <summary>The values, one per attribute.</summary>
    public ImmutableArray<DlmsValue> Values { get; }

    /// <inheritdoc />
    public override SetRequestType RequestType => SetRequestType.WithList;

    /// <inheritdoc />
    public bool Equals(SetRequestWithList? other)
        => base.Equals(other) && XdlmsWire.SequenceEquals(Descriptors, other.Descriptors) && XdlmsWire.SequenceEquals(Values, other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Descriptors), XdlmsWire.SequenceHash(Values));

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        WriteDescriptorList(writer, Descriptors);
        XdlmsWire.WriteCount(writer, Values.Length);
        foreach (DlmsValue value in Values)
        {
            XdlmsWire.WriteData(writer, value);
        }
    }
}

/// <summary>
/// set-request-with-list-and-first-datablock: <c>C1 05 invoke count {descriptor access-selection}*count DataBlock-SA</c>;
/// the blocks carry the encoded values one after another.
/// </summary>
public sealed record SetRequestWithListAndFirstDatablock : SetRequest
{
    /// <summary>Creates the request.</summary>
    public SetRequestWithListAndFirstDatablock(InvokeIdAndPriority invokeIdAndPriority, ImmutableArray<CosemAttributeDescriptorWithSelection> descriptors, DataBlock block)
        : base(invokeIdAndPriority)
    {
        Descriptors = XdlmsWire.NotDefault(descriptors, nameof(descriptors));
        Block = XdlmsWire.NotNull(block, nameof(block));
    }

    /// <summary>The attributes to write.</summary>
    public ImmutableArray<CosemAttributeDescriptorWithSelection> Descriptors { get; }

    /// <summary>The first block.</summary>
    public DataBlock Block { get; }

    /// <inheritdoc />
    public override SetRequestType RequestType => SetRequestType.WithListAndFirstDatablock;

    /// <inheritdoc />
    public bool Equals(SetRequestWithListAndFirstDatablock? other)
        => base.Equals(other) && XdlmsWire.SequenceEquals(Descriptors, other.Descriptors) && Block.Equals(other.Block);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), XdlmsWire.SequenceHash(Descriptors), Block);

    private protected override void EncodeBody(IBufferWriter<byte> writer)
    {
        WriteDescriptorList(writer, Descriptors);
        Block.Encode(writer);
    }
}

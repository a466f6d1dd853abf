using System.Buffers;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Xdlms;

/// <summary>
/// Cosem-Attribute-Descriptor ::= SEQUENCE { class-id Unsigned16, instance-id OCTET STRING (SIZE(6)),
/// attribute-id Integer8 } (Green Book 9.3): 9 bytes on the wire.
/// </summary>
public sealed record CosemAttributeDescriptor(ushort ClassId, ObisCode InstanceId, sbyte AttributeId)
{
    /// <summary>Wire size.</summary>
    public const int Size = 9;

    /// <summary>Writes the 9 bytes.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(ClassId);
        InstanceId.WriteTo(writer.GetSpan(ObisCode.Size));
        writer.Advance(ObisCode.Size);
        writer.WriteByte(unchecked((byte)AttributeId));
    }

    internal static CosemAttributeDescriptor Read(ref DlmsReader reader)
    {
        ushort classId = reader.ReadUInt16("class-id");
        ObisCode instance = ObisCode.Read(reader.ReadBytes(ObisCode.Size, "instance-id"));
        sbyte attribute = unchecked((sbyte)reader.ReadByte("attribute-id"));
        return new CosemAttributeDescriptor(classId, instance, attribute);
    }

    /// <inheritdoc />
    public override string ToString() => $"{{class {ClassId}, {InstanceId}, attribute {AttributeId}}}";
}

/// <summary>
/// Cosem-Method-Descriptor ::= SEQUENCE { class-id Unsigned16, instance-id OCTET STRING (SIZE(6)),
/// method-id Integer8 } (Green Book 9.3): 9 bytes on the wire.
/// </summary>
public sealed record CosemMethodDescriptor(ushort ClassId, ObisCode InstanceId, sbyte MethodId)
{
    /// <summary>Wire size.</summary>
    public const int Size = 9;

    /// <summary>Writes the 9 bytes.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16(ClassId);
        InstanceId.WriteTo(writer.GetSpan(ObisCode.Size));
        writer.Advance(ObisCode.Size);
        writer.WriteByte(unchecked((byte)MethodId));
    }

    internal static CosemMethodDescriptor Read(ref DlmsReader reader)
    {
        ushort classId = reader.ReadUInt16("class-id");
        ObisCode instance = ObisCode.Read(reader.ReadBytes(ObisCode.Size, "instance-id"));
        sbyte method = unchecked((sbyte)reader.ReadByte("method-id"));
        return new CosemMethodDescriptor(classId, instance, method);
    }

    /// <inheritdoc />
    public override string ToString() => $"{{class {ClassId}, {InstanceId}, method {MethodId}}}";
}

/// <summary>
/// Selective-Access-Descriptor ::= SEQUENCE { access-selector Unsigned8, access-parameters Data }
/// (Green Book 9.3; the selectors and their parameters are defined per interface class in the Blue Book).
/// </summary>
public sealed record SelectiveAccessDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    public SelectiveAccessDescriptor(byte accessSelector, DlmsValue accessParameters)
    {
        AccessSelector = accessSelector;
        AccessParameters = XdlmsWire.NotNull(accessParameters, nameof(accessParameters));
    }

    /// <summary>access-selector.</summary>
    public byte AccessSelector { get; }

    /// <summary>access-parameters.</summary>
    public DlmsValue AccessParameters { get; }

    /// <summary>
    /// Writes an OPTIONAL Selective-Access-Descriptor: <c>00</c> when <paramref name="selection"/> is null,
    /// else <c>01 selector Data</c>.
    /// </summary>
    internal static void WriteOptional(IBufferWriter<byte> writer, SelectiveAccessDescriptor? selection)
    {
        if (selection is null)
        {
            writer.WriteByte(0);
            return;
        }

        writer.WriteByte(1);
        writer.WriteByte(selection.AccessSelector);
        XdlmsWire.WriteData(writer, selection.AccessParameters);
    }

    internal static SelectiveAccessDescriptor? ReadOptional(ref DlmsReader reader, AxdrLimits limits)
    {
        if (!XdlmsWire.ReadPresence(ref reader, "access-selection"))
        {
            return null;
        }

        byte selector = reader.ReadByte("access-selector");
        return new SelectiveAccessDescriptor(selector, XdlmsWire.ReadData(ref reader, limits));
    }
}

/// <summary>
/// Cosem-Attribute-Descriptor-With-Selection ::= SEQUENCE { cosem-attribute-descriptor,
/// access-selection Selective-Access-Descriptor OPTIONAL } (Green Book 9.3), the element of the with-list forms.
/// </summary>
public sealed record CosemAttributeDescriptorWithSelection
{
    /// <summary>Smallest encoding: descriptor plus an absent-selection flag.</summary>
    internal const int MinSize = CosemAttributeDescriptor.Size + 1;

    /// <summary>Creates an element; <paramref name="accessSelection"/> null = no selective access.</summary>
    public CosemAttributeDescriptorWithSelection(CosemAttributeDescriptor descriptor, SelectiveAccessDescriptor? accessSelection = null)
    {
        Descriptor = XdlmsWire.NotNull(descriptor, nameof(descriptor));
        AccessSelection = accessSelection;
    }

    /// <summary>The attribute.</summary>
    public CosemAttributeDescriptor Descriptor { get; }

    /// <summary>Selective access, or null.</summary>
    public SelectiveAccessDescriptor? AccessSelection { get; }

    /// <summary>Shorthand for an element without selective access.</summary>
    public static implicit operator CosemAttributeDescriptorWithSelection(CosemAttributeDescriptor descriptor) => new(descriptor);

    internal void Write(IBufferWriter<byte> writer)
    {
        Descriptor.Encode(writer);
        SelectiveAccessDescriptor.WriteOptional(writer, AccessSelection);
    }

    internal static CosemAttributeDescriptorWithSelection Read(ref DlmsReader reader, AxdrLimits limits)
    {
        CosemAttributeDescriptor descriptor = CosemAttributeDescriptor.Read(ref reader);
        return new CosemAttributeDescriptorWithSelection(descriptor, SelectiveAccessDescriptor.ReadOptional(ref reader, limits));
    }
}

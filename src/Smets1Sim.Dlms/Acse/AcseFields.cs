using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// Field codecs shared by the ACSE APDUs (ISO/IEC 8650-1 / ITU-T X.227 as profiled by the Green Book). Every
/// optional reader returns null, without consuming anything, when the next identifier is not its own; the
/// APDU decoders call them in tag order, so an element out of order, repeated or unknown is left over and
/// rejected by the caller.
/// </summary>
internal static class AcseFields
{
    /// <summary>Arc that follows the DLMS UA prefix in an application context name.</summary>
    public const byte ApplicationContextArc = 1;

    /// <summary>Arc that follows the DLMS UA prefix in a mechanism name.</summary>
    public const byte MechanismNameArc = 2;

    // {joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8)}:
    // 2*40+16 = 0x60, 756 = 0x85 0x74 (base 128), 5, 8.
    private static ReadOnlySpan<byte> DlmsUaOidPrefix => [0x60, 0x85, 0x74, 0x05, 0x08];

    private const int DlmsOidLength = 7;

    // ACSE-requirements ::= BIT STRING { authentication(0) }: one byte with 7 unused bits, bit 0 set.
    private static ReadOnlySpan<byte> AuthenticationFunctionalUnit => [0x07, 0x80];

    // Authentication-value ::= CHOICE { charstring [0] IMPLICIT GraphicString, ... }; DLMS uses charstring only.
    private const byte CharStringTag = 0x80;

    /// <summary>Size of a DLMS UA object identifier element (<c>06 07 ..</c> or an implicit tag + 07 ..).</summary>
    public static int ImplicitOidSize => Ber.ElementSize(DlmsOidLength);

    /// <summary>Size of <c>tag 09 06 07 ..</c>.</summary>
    public static int ExplicitOidSize => Ber.ElementSize(ImplicitOidSize);

    /// <summary>Size of an ACSE-requirements element.</summary>
    public static int AcseRequirementsSize => Ber.ElementSize(AuthenticationFunctionalUnit.Length);

    /// <summary>Size of <c>outer len inner len value</c>.</summary>
    public static int ExplicitBytesSize(ReadOnlyMemory<byte> value) => Ber.ElementSize(Ber.ElementSize(value.Length));

    /// <summary>Size of <c>outer len 02 len value</c>.</summary>
    public static int ExplicitIntegerSize(int value) => Ber.ElementSize(Ber.ElementSize(Ber.IntegerContentSize(value)));

    /// <summary>Size of <c>tag len INTEGER-content</c>.</summary>
    public static int ImplicitIntegerSize(int value) => Ber.ElementSize(Ber.IntegerContentSize(value));

    /// <summary>Writes <c>06 07 60 85 74 05 08 arc value</c>, or the same under an IMPLICIT tag.</summary>
    public static void WriteImplicitOid(IBufferWriter<byte> writer, byte tag, byte arc, byte value)
    {
        // A last arc of 0x80 or more would need a second base-128 byte; no registered name needs one.
        if (value >= 0x80)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "DLMS UA name arcs are below 128");
        }

        Ber.WriteHeader(writer, tag, DlmsOidLength);
        writer.WriteBytes(DlmsUaOidPrefix);
        writer.WriteByte(arc);
        writer.WriteByte(value);
    }

    /// <summary>Writes <c>tag 09 06 07 60 85 74 05 08 arc value</c>.</summary>
    public static void WriteExplicitOid(IBufferWriter<byte> writer, byte tag, byte arc, byte value)
    {
        Ber.WriteHeader(writer, tag, ImplicitOidSize);
        WriteImplicitOid(writer, Ber.ObjectIdentifierTag, arc, value);
    }

    /// <summary>Reads an OBJECT IDENTIFIER under <paramref name="tag"/> that must be a DLMS UA name of kind <paramref name="arc"/>.</summary>
    public static byte ReadImplicitOid(ref DlmsReader reader, byte tag, byte arc, string what)
    {
        DlmsReader probe = reader;
        DlmsReader oid = Ber.ReadElement(ref probe, tag, what);
        ReadOnlySpan<byte> bytes = oid.RemainingSpan;
        if (bytes.Length != DlmsOidLength)
        {
            throw oid.Error($"{what} has {bytes.Length} bytes, a DLMS UA name has {DlmsOidLength}");
        }

        if (!bytes[..DlmsUaOidPrefix.Length].SequenceEqual(DlmsUaOidPrefix) || bytes[DlmsUaOidPrefix.Length] != arc)
        {
            throw oid.Error($"{what} is not a DLMS UA name of kind {arc}: {Convert.ToHexString(bytes)}");
        }

        byte value = bytes[DlmsOidLength - 1];
        if (value >= 0x80)
        {
            // X.690 8.19.2: bit 8 set means the arc continues in a byte that is not there.
            throw new DlmsProtocolException($"{what} ends inside an arc", oid.BaseOffset + DlmsOidLength - 1);
        }

        reader = probe;
        return value;
    }

    /// <summary>Reads <c>tag len 06 07 ..</c> (an EXPLICIT object identifier).</summary>
    public static byte ReadExplicitOid(ref DlmsReader reader, byte tag, byte arc, string what)
    {
        DlmsReader probe = reader;
        DlmsReader outer = Ber.ReadElement(ref probe, tag, what);
        byte value = ReadImplicitOid(ref outer, Ber.ObjectIdentifierTag, arc, what);
        outer.ExpectEnd(what);
        reader = probe;
        return value;
    }

    /// <summary>Optional mechanism name (or any implicit DLMS UA OID) under <paramref name="tag"/>.</summary>
    public static byte? ReadOptionalImplicitOid(ref DlmsReader reader, byte tag, byte arc, string what)
        => Ber.NextTagIs(ref reader, tag) ? ReadImplicitOid(ref reader, tag, arc, what) : null;

    /// <summary>Writes <c>outer len inner len value</c>: an EXPLICIT tag around an OCTET STRING or a charstring.</summary>
    public static void WriteExplicitBytes(IBufferWriter<byte> writer, byte outerTag, byte innerTag, ReadOnlySpan<byte> value)
    {
        Ber.WriteHeader(writer, outerTag, Ber.ElementSize(value.Length));
        Ber.WritePrimitive(writer, innerTag, value);
    }

    /// <summary>Optional <c>outer len inner len value</c>; the outer element must hold exactly the inner one.</summary>
    public static ReadOnlyMemory<byte>? ReadOptionalExplicitBytes(ref DlmsReader reader, byte outerTag, byte innerTag, string what)
    {
        if (!Ber.NextTagIs(ref reader, outerTag))
        {
            return null;
        }

        DlmsReader probe = reader;
        DlmsReader outer = Ber.ReadElement(ref probe, outerTag, what);
        byte[] value = Ber.ReadPrimitiveContent(ref outer, innerTag, what);
        outer.ExpectEnd(what);
        reader = probe;
        return value;
    }

    /// <summary>Optional AP-title / AE-qualifier (DLMS form 2: an OCTET STRING under an EXPLICIT tag).</summary>
    public static ReadOnlyMemory<byte>? ReadOptionalOctetString(ref DlmsReader reader, byte tag, string what)
        => ReadOptionalExplicitBytes(ref reader, tag, Ber.OctetStringTag, what);

    /// <summary>Writes an AP-title / AE-qualifier / user-information.</summary>
    public static void WriteOctetString(IBufferWriter<byte> writer, byte tag, ReadOnlySpan<byte> value)
        => WriteExplicitBytes(writer, tag, Ber.OctetStringTag, value);

    /// <summary>Optional authentication value: <c>tag len 80 len value</c> (the charstring alternative).</summary>
    public static ReadOnlyMemory<byte>? ReadOptionalAuthenticationValue(ref DlmsReader reader, byte tag, string what)
        => ReadOptionalExplicitBytes(ref reader, tag, CharStringTag, what);

    /// <summary>Writes an authentication value as the charstring alternative.</summary>
    public static void WriteAuthenticationValue(IBufferWriter<byte> writer, byte tag, ReadOnlySpan<byte> value)
        => WriteExplicitBytes(writer, tag, CharStringTag, value);

    /// <summary>Writes <c>tag len 02 len value</c>.</summary>
    public static void WriteExplicitInteger(IBufferWriter<byte> writer, byte tag, int value)
    {
        Ber.WriteHeader(writer, tag, Ber.ElementSize(Ber.IntegerContentSize(value)));
        Ber.WriteInteger(writer, Ber.IntegerTag, value);
    }

    /// <summary>Reads <c>tag len 02 len value</c>.</summary>
    public static int ReadExplicitInteger(ref DlmsReader reader, byte tag, string what)
    {
        DlmsReader probe = reader;
        DlmsReader outer = Ber.ReadElement(ref probe, tag, what);
        int value = Ber.ReadInteger(ref outer, Ber.IntegerTag, what);
        outer.ExpectEnd(what);
        reader = probe;
        return value;
    }

    /// <summary>Optional AP-/AE-invocation-identifier (INTEGER under an EXPLICIT tag).</summary>
    public static int? ReadOptionalExplicitInteger(ref DlmsReader reader, byte tag, string what)
        => Ber.NextTagIs(ref reader, tag) ? ReadExplicitInteger(ref reader, tag, what) : null;

    /// <summary>
    /// Optional ACSE-requirements (IMPLICIT BIT STRING). DLMS defines only the authentication functional unit,
    /// encoded <c>02 07 80</c>; any other bit string is refused, so that a decoded APDU re-encodes exactly.
    /// </summary>
    public static bool ReadOptionalAcseRequirements(ref DlmsReader reader, byte tag, string what)
    {
        if (!Ber.NextTagIs(ref reader, tag))
        {
            return false;
        }

        DlmsReader probe = reader;
        DlmsReader content = Ber.ReadElement(ref probe, tag, what);
        if (!content.RemainingSpan.SequenceEqual(AuthenticationFunctionalUnit))
        {
            throw content.Error($"{what} must be the authentication functional unit (07 80), got {Convert.ToHexString(content.RemainingSpan)}");
        }

        reader = probe;
        return true;
    }

    /// <summary>Writes ACSE-requirements with the authentication functional unit.</summary>
    public static void WriteAcseRequirements(IBufferWriter<byte> writer, byte tag)
        => Ber.WritePrimitive(writer, tag, AuthenticationFunctionalUnit);

    /// <summary>
    /// Optional protocol-version ([0] IMPLICIT BIT STRING), kept as its content (unused-bits byte first). The
    /// content must be a well-formed bit string (X.690 8.6.2): an unused-bits count of 0..7, and 0 when empty.
    /// </summary>
    public static ReadOnlyMemory<byte>? ReadOptionalBitString(ref DlmsReader reader, byte tag, string what)
    {
        if (!Ber.NextTagIs(ref reader, tag))
        {
            return null;
        }

        DlmsReader probe = reader;
        DlmsReader content = Ber.ReadElement(ref probe, tag, what);
        ReadOnlySpan<byte> bytes = content.RemainingSpan;
        if (!IsWellFormedBitString(bytes))
        {
            throw content.Error($"{what} is not a well-formed BIT STRING: {Convert.ToHexString(bytes)}");
        }

        reader = probe;
        return bytes.ToArray();
    }

    /// <summary>Size of an optional protocol-version element, refusing content that would not decode.</summary>
    public static int OptionalBitStringSize(ReadOnlyMemory<byte>? value, string property)
    {
        if (value is not { } v)
        {
            return 0;
        }

        if (!IsWellFormedBitString(v.Span))
        {
            throw new InvalidOperationException($"{property} is not a well-formed BIT STRING content (unused-bits byte first)");
        }

        return Ber.ElementSize(v.Length);
    }

    /// <summary>Writes an optional primitive element with raw content.</summary>
    public static void WriteOptionalPrimitive(IBufferWriter<byte> writer, byte tag, ReadOnlyMemory<byte>? value)
    {
        if (value is { } v)
        {
            Ber.WritePrimitive(writer, tag, v.Span);
        }
    }

    /// <summary>Size of an optional primitive element; 0 when absent.</summary>
    public static int OptionalPrimitiveSize(ReadOnlyMemory<byte>? value) => value is { } v ? Ber.ElementSize(v.Length) : 0;

    private static bool IsWellFormedBitString(ReadOnlySpan<byte> content)
        => !content.IsEmpty && content[0] <= 7 && (content.Length > 1 || content[0] == 0);

    /// <summary>Optional primitive element kept as raw content (e.g. implementation-information, a GraphicString).</summary>
    public static ReadOnlyMemory<byte>? ReadOptionalPrimitive(ref DlmsReader reader, byte tag, string what)
    {
        // Not a conditional expression: its natural type would be byte[], and a null byte[] converts to an
        // empty ReadOnlyMemory that HasValue.
        if (!Ber.NextTagIs(ref reader, tag))
        {
            return null;
        }

        return Ber.ReadPrimitiveContent(ref reader, tag, what);
    }

    /// <summary>Throws for the first element the APDU decoder did not consume.</summary>
    public static void ExpectNoMoreElements(ref DlmsReader body, string apdu)
    {
        if (!body.End)
        {
            throw body.Error($"unexpected element 0x{body.RemainingSpan[0]:X2} in {apdu} (unknown, repeated or out of order)");
        }
    }

    /// <summary>Refuses, before anything is written, an object identifier arc that would need two bytes.</summary>
    public static void CheckArc(byte arc, string property)
    {
        if (arc >= 0x80)
        {
            throw new InvalidOperationException($"{property} = {arc} cannot be encoded: DLMS UA name arcs are below 128");
        }
    }

    /// <summary>Size of an optional explicit OCTET STRING (or charstring) element; 0 when absent.</summary>
    public static int OptionalOctetStringSize(ReadOnlyMemory<byte>? value) => value is { } v ? ExplicitBytesSize(v) : 0;

    /// <summary>Size of an optional explicit INTEGER element; 0 when absent.</summary>
    public static int OptionalIntegerSize(int? value) => value is { } v ? ExplicitIntegerSize(v) : 0;

    /// <summary>Writes an optional explicit OCTET STRING element.</summary>
    public static void WriteOptionalOctetString(IBufferWriter<byte> writer, byte tag, ReadOnlyMemory<byte>? value)
    {
        if (value is { } v)
        {
            WriteOctetString(writer, tag, v.Span);
        }
    }

    /// <summary>Writes an optional explicit INTEGER element.</summary>
    public static void WriteOptionalInteger(IBufferWriter<byte> writer, byte tag, int? value)
    {
        if (value is { } v)
        {
            WriteExplicitInteger(writer, tag, v);
        }
    }
}

using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// RLRQ and RLRE share one layout (ISO/IEC 8650-1 / ITU-T X.227):
/// <code>
/// 62|63 len  [80 len reason (IMPLICIT INTEGER)]  [BE len 04 len user-information]
/// </code>
/// Lengths are computed, never patched: the outer length counts exactly the elements that follow.
/// </summary>
internal static class ReleaseApduCodec
{
    private const byte ReasonTag = 0x80;
    private const byte UserInformationTag = 0xBE;

    // Both reason types are INTEGER { 0, 1, 30 }.
    private const int UserDefined = 30;

    public static void Encode(IBufferWriter<byte> writer, byte tag, int? reason, ReadOnlyMemory<byte>? userInformation)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = (reason is { } r ? AcseFields.ImplicitIntegerSize(r) : 0) + AcseFields.OptionalOctetStringSize(userInformation);
        Ber.WriteHeader(writer, tag, length);
        if (reason is { } value)
        {
            Ber.WriteInteger(writer, ReasonTag, value);
        }

        AcseFields.WriteOptionalOctetString(writer, UserInformationTag, userInformation);
    }

    public static (int? Reason, ReadOnlyMemory<byte>? UserInformation) Decode(ReadOnlySpan<byte> input, byte tag, string apdu)
    {
        var reader = new DlmsReader(input);
        DlmsReader body = Ber.ReadElement(ref reader, tag, apdu);
        reader.ExpectEnd(apdu);

        int? reason = null;
        if (Ber.NextTagIs(ref body, ReasonTag))
        {
            int start = body.AbsolutePosition;
            int value = Ber.ReadInteger(ref body, ReasonTag, "reason");
            reason = value is 0 or 1 or UserDefined
                ? value
                : throw new DlmsProtocolException($"unknown {apdu} reason {value}", start);
        }

        ReadOnlyMemory<byte>? userInformation = AcseFields.ReadOptionalOctetString(ref body, UserInformationTag, "user-information");
        AcseFields.ExpectNoMoreElements(ref body, apdu);
        return (reason, userInformation);
    }
}

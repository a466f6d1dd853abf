using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// A-RELEASE response (ISO/IEC 8650-1 / ITU-T X.227 RLRE-apdu): <c>63 len [80 01 reason] [BE len 04 len user-information]</c>.
/// The outer length is exact (some servers get it wrong; strict clients then fail).
/// </summary>
public sealed record RlreApdu
{
    /// <summary>[APPLICATION 3], constructed.</summary>
    public const byte Tag = 0x63;

    /// <summary>reason; null when absent.</summary>
    public ReleaseResponseReason? Reason { get; init; }

    /// <summary>user-information (raw xDLMS APDU, e.g. a ciphered InitiateResponse); null when absent.</summary>
    public ReadOnlyMemory<byte>? UserInformation { get; init; }

    /// <summary>Writes the BER encoding.</summary>
    public void Encode(IBufferWriter<byte> writer) => ReleaseApduCodec.Encode(writer, Tag, (int?)Reason, UserInformation);

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one RLRE that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed RLRE.</exception>
    public static RlreApdu Decode(ReadOnlySpan<byte> input)
    {
        (int? reason, ReadOnlyMemory<byte>? userInformation) = ReleaseApduCodec.Decode(input, Tag, "RLRE");
        return new RlreApdu { Reason = (ReleaseResponseReason?)reason, UserInformation = userInformation };
    }
}

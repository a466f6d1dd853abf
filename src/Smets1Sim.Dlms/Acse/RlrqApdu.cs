using System.Buffers;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Acse;

/// <summary>
/// A-RELEASE request (ISO/IEC 8650-1 / ITU-T X.227 RLRQ-apdu): <c>62 len [80 01 reason] [BE len 04 len user-information]</c>.
/// With a ciphered context the user-information carries a ciphered InitiateRequest (Green Book, release with
/// protection); it is kept raw here.
/// </summary>
public sealed record RlrqApdu
{
    /// <summary>[APPLICATION 2], constructed.</summary>
    public const byte Tag = 0x62;

    /// <summary>reason; null when absent.</summary>
    public ReleaseRequestReason? Reason { get; init; }

    /// <summary>user-information (raw xDLMS APDU); null when absent.</summary>
    public ReadOnlyMemory<byte>? UserInformation { get; init; }

    /// <summary>Writes the BER encoding.</summary>
    public void Encode(IBufferWriter<byte> writer) => ReleaseApduCodec.Encode(writer, Tag, (int?)Reason, UserInformation);

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray() => DlmsWriter.ToArray(Encode);

    /// <summary>Decodes exactly one RLRQ that fills <paramref name="input"/>.</summary>
    /// <exception cref="DlmsProtocolException">The bytes are not a well-formed RLRQ.</exception>
    public static RlrqApdu Decode(ReadOnlySpan<byte> input)
    {
        (int? reason, ReadOnlyMemory<byte>? userInformation) = ReleaseApduCodec.Decode(input, Tag, "RLRQ");
        return new RlrqApdu { Reason = (ReleaseRequestReason?)reason, UserInformation = userInformation };
    }
}

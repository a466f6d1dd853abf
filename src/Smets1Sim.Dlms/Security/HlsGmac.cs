using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// HLS authentication mechanism 5, HLS-GMAC (DLMS UA Green Book, HLS authentication passes 3 and 4). Each side proves it
/// holds EK and AK by returning f(challenge) of the other side:
/// <code>
///   f(challenge) = SC 0x10 | IC (u32 BE) | GMAC tag (12)
///   tag          = AES-GCM(EK, IV = sender ST || IC, AAD = 0x10 || AK || challenge, plaintext = empty)
/// </code>
/// The client computes f(StoC) with its own system title; the server answers f(CtoS) with its own.
/// </summary>
public static class HlsGmac
{
    /// <summary>Length of f(challenge): SC + IC + tag.</summary>
    public const int ResponseLength = Suite0Cipher.HeaderLength + Suite0Cipher.TagLength;

    /// <summary>Shortest challenge the Green Book allows.</summary>
    public const int MinChallengeLength = 8;

    /// <summary>Longest challenge the Green Book allows.</summary>
    public const int MaxChallengeLength = 64;

    /// <summary>Computes f(<paramref name="challenge"/>) as <paramref name="sender"/> with IC <paramref name="invocationCounter"/>.</summary>
    public static byte[] ComputeResponse(Suite0Cipher cipher, SystemTitle sender, uint invocationCounter, ReadOnlySpan<byte> challenge)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        byte[] response = new byte[ResponseLength];
        response[0] = SecurityControl.AuthenticatedOnly.Value;
        BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(1), invocationCounter);
        cipher.ComputeTag(SecurityControl.AuthenticatedOnly, sender, invocationCounter, challenge, response.AsSpan(Suite0Cipher.HeaderLength));
        return response;
    }

    /// <summary>
    /// Checks the peer's f(<paramref name="challenge"/>) and returns the IC it used (the caller checks it for replay).
    /// </summary>
    /// <param name="cipher">Cipher with the keys the peer should hold.</param>
    /// <param name="response">The octet string the peer returned.</param>
    /// <param name="sender">The peer's system title.</param>
    /// <param name="challenge">The challenge this side sent.</param>
    /// <exception cref="DlmsSecurityException">
    /// <see cref="SecurityFailure.HlsAuthenticationFailed"/> for a wrong length, SC byte or tag alike, so a peer
    /// learns nothing from which check failed.
    /// </exception>
    public static uint Verify(Suite0Cipher cipher, ReadOnlySpan<byte> response, SystemTitle sender, ReadOnlySpan<byte> challenge)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (response.Length != ResponseLength || response[0] != SecurityControl.AuthenticatedOnly.Value)
        {
            throw Failed();
        }

        uint invocationCounter = BinaryPrimitives.ReadUInt32BigEndian(response[1..]);
        if (!cipher.VerifyTag(SecurityControl.AuthenticatedOnly, sender, invocationCounter, challenge, response[Suite0Cipher.HeaderLength..]))
        {
            throw Failed();
        }

        return invocationCounter;
    }

    /// <summary>A fresh random challenge (CtoS or StoC) from the operating system's CSPRNG.</summary>
    /// <param name="length">8..64 bytes.</param>
    public static byte[] NewChallenge(int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinChallengeLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxChallengeLength);
        return RandomNumberGenerator.GetBytes(length);
    }

    private static DlmsSecurityException Failed() =>
        new(SecurityFailure.HlsAuthenticationFailed, "HLS-GMAC response did not verify");
}

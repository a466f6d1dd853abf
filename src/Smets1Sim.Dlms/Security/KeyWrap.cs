using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// RFC 3394 AES key wrap with the default IV A6A6A6A6A6A6A6A6, as DLMS key_transfer uses it
/// (Blue Book, Security setup class 64, method 2). Not RFC 5649: .NET's <c>Aes.EncryptKeyWrapPadded</c> implements the padded variant,
/// which produces different bytes.
/// </summary>
public static class KeyWrap
{
    /// <summary>Wrapped length of a 16-byte key.</summary>
    public const int Wrapped128Length = 24;

    private const int SemiBlock = 8;
    private const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6;

    /// <summary>Wraps <paramref name="key"/> under <paramref name="kek"/> (RFC 3394 section 2.2.1).</summary>
    /// <param name="kek">Key-encrypting key, 16, 24 or 32 bytes.</param>
    /// <param name="key">Key data: at least 16 bytes, a multiple of 8.</param>
    /// <returns><paramref name="key"/>.Length + 8 bytes.</returns>
    /// <exception cref="ArgumentException">A length is not allowed.</exception>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        ValidateKek(kek);
        if (key.Length < 2 * SemiBlock || key.Length % SemiBlock != 0)
        {
            throw new ArgumentException("RFC 3394 wraps at least 16 bytes, in multiples of 8", nameof(key));
        }

        int n = key.Length / SemiBlock;
        byte[] output = new byte[key.Length + SemiBlock];
        key.CopyTo(output.AsSpan(SemiBlock));
        Span<byte> block = stackalloc byte[16];
        Span<byte> result = stackalloc byte[16];
        try
        {
            using Aes aes = Aes.Create();
            aes.SetKey(kek);
            ulong a = DefaultIv;
            for (int j = 0; j <= 5; j++)
            {
                for (int i = 1; i <= n; i++)
                {
                    // B = AES(K, A | R[i]); A = MSB64(B) ^ t; R[i] = LSB64(B), t = n*j + i
                    Span<byte> r = output.AsSpan(i * SemiBlock, SemiBlock);
                    BinaryPrimitives.WriteUInt64BigEndian(block, a);
                    r.CopyTo(block[SemiBlock..]);
                    aes.EncryptEcb(block, result, PaddingMode.None);
                    a = BinaryPrimitives.ReadUInt64BigEndian(result) ^ (ulong)((n * j) + i);
                    result[SemiBlock..].CopyTo(r);
                }
            }

            BinaryPrimitives.WriteUInt64BigEndian(output, a);
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(result);
        }
    }

    /// <summary>Wraps <paramref name="key"/> under <paramref name="kek"/>.</summary>
    public static byte[] Wrap(SecretKey kek, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(kek);
        ArgumentNullException.ThrowIfNull(key);
        return Wrap(kek.Span, key.Span);
    }

    /// <summary>
    /// Unwraps and checks integrity (RFC 3394 section 2.2.2). The returned array holds key material: zero it with
    /// <see cref="CryptographicOperations.ZeroMemory"/> when done, or use <see cref="UnwrapKey"/>.
    /// </summary>
    /// <param name="kek">Key-encrypting key, 16, 24 or 32 bytes.</param>
    /// <param name="wrapped">Wrapped key as received.</param>
    /// <exception cref="ArgumentException"><paramref name="kek"/> has a wrong length.</exception>
    /// <exception cref="DlmsProtocolException"><paramref name="wrapped"/> is shorter than 24 bytes or not a multiple of 8.</exception>
    /// <exception cref="DlmsSecurityException">
    /// <see cref="SecurityFailure.KeyUnwrapFailed"/>: wrong KEK or altered data. Nothing of the unwrapped bytes is kept.
    /// </exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        ValidateKek(kek);
        if (wrapped.Length < 3 * SemiBlock || wrapped.Length % SemiBlock != 0)
        {
            throw new DlmsProtocolException(
                $"an RFC 3394 wrapped key is at least 24 bytes and a multiple of 8, got {wrapped.Length}", 0);
        }

        int n = (wrapped.Length / SemiBlock) - 1;
        byte[] output = new byte[n * SemiBlock];
        wrapped[SemiBlock..].CopyTo(output);
        Span<byte> block = stackalloc byte[16];
        Span<byte> result = stackalloc byte[16];
        bool verified = false;
        try
        {
            using Aes aes = Aes.Create();
            aes.SetKey(kek);
            ulong a = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
            for (int j = 5; j >= 0; j--)
            {
                for (int i = n; i >= 1; i--)
                {
                    // B = AES-1(K, (A ^ t) | R[i]); A = MSB64(B); R[i] = LSB64(B), t = n*j + i
                    Span<byte> r = output.AsSpan((i - 1) * SemiBlock, SemiBlock);
                    BinaryPrimitives.WriteUInt64BigEndian(block, a ^ (ulong)((n * j) + i));
                    r.CopyTo(block[SemiBlock..]);
                    aes.DecryptEcb(block, result, PaddingMode.None);
                    a = BinaryPrimitives.ReadUInt64BigEndian(result);
                    result[SemiBlock..].CopyTo(r);
                }
            }

            Span<byte> iv = block[..SemiBlock];
            Span<byte> expectedIv = result[..SemiBlock];
            BinaryPrimitives.WriteUInt64BigEndian(iv, a);
            BinaryPrimitives.WriteUInt64BigEndian(expectedIv, DefaultIv);
            verified = CryptographicOperations.FixedTimeEquals(iv, expectedIv);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(result);
            if (!verified)
            {
                CryptographicOperations.ZeroMemory(output);
            }
        }

        return verified
            ? output
            : throw new DlmsSecurityException(
                SecurityFailure.KeyUnwrapFailed, "RFC 3394 integrity check failed: wrong key-encrypting key or altered data");
    }

    /// <summary>Unwraps into a <see cref="SecretKey"/>; the intermediate copy is zeroed.</summary>
    /// <exception cref="DlmsProtocolException">The wrapped length is wrong, or the unwrapped key is not 16, 24 or 32 bytes.</exception>
    /// <exception cref="DlmsSecurityException"><see cref="SecurityFailure.KeyUnwrapFailed"/>.</exception>
    public static SecretKey UnwrapKey(SecretKey kek, ReadOnlySpan<byte> wrapped)
    {
        ArgumentNullException.ThrowIfNull(kek);
        if (wrapped.Length - SemiBlock is not (16 or 24 or 32))
        {
            throw new DlmsProtocolException(
                $"a wrapped AES key is 24, 32 or 40 bytes, got {wrapped.Length}", 0);
        }

        byte[] key = Unwrap(kek.Span, wrapped);
        try
        {
            return SecretKey.FromBytes(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void ValidateKek(ReadOnlySpan<byte> kek)
    {
        if (kek.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"a key-encrypting key is 16, 24 or 32 bytes, got {kek.Length}", nameof(kek));
        }
    }
}

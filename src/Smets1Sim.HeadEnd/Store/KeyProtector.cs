using System.Security.Cryptography;
using System.Text;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>
/// Encrypts device keys at rest with AES-256-GCM under the store master key. The associated data binds each blob
/// to its device, key id and generation, so a blob copied to another row (another device, another key, an older
/// generation) fails to authenticate instead of handing out the wrong key.
/// <code>
///   blob = nonce (12, random) || ciphertext (16) || tag (16)
///   AAD  = "smets1sim-headend/v1/key/" device-id "/" key-id "/" generation
/// </code>
/// A check value (a known plaintext under its own AAD) tells a wrong master key from a corrupt blob.
/// </summary>
internal sealed class KeyProtector : IDisposable
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] CheckPlaintext = Encoding.ASCII.GetBytes("smets1sim-headend store check v1");
    private readonly AesGcm _aes;

    // AesGcm instances are not thread-safe; a campaign rotates many devices at once.
    private readonly Lock _gate = new();

    public KeyProtector(SecretKey masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != StoreMasterKey.Length)
        {
            throw new ArgumentException("the store master key is 32 bytes", nameof(masterKey));
        }

        _aes = new AesGcm(masterKey.Span, TagLength);
    }

    /// <summary>Encrypts one key for the row (device, key id, generation).</summary>
    public byte[] Protect(SecretKey key, string deviceId, KeyKind kind, long generation)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Seal(key.Span, KeyAad(deviceId, kind, generation));
    }

    /// <summary>Decrypts one key; the row it came from must be the row it was written for.</summary>
    /// <exception cref="HeadEndStoreException">The blob does not authenticate for that row.</exception>
    public SecretKey Unprotect(byte[] blob, string deviceId, KeyKind kind, long generation)
    {
        ArgumentNullException.ThrowIfNull(blob);
        byte[] plain = Open(blob, KeyAad(deviceId, kind, generation))
            ?? throw new HeadEndStoreException(
                StoreFailure.Corrupt, $"the stored {kind.Label()} of {deviceId} (generation {generation}) does not authenticate: the row was altered or moved");
        try
        {
            return SecretKey.FromBytes(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The check value stored when the store is created.</summary>
    public byte[] CreateCheckValue() => Seal(CheckPlaintext, CheckAad());

    /// <summary>True when <paramref name="checkValue"/> opens under this master key.</summary>
    public bool VerifyCheckValue(byte[] checkValue)
    {
        byte[]? plain = Open(checkValue, CheckAad());
        return plain is not null && plain.AsSpan().SequenceEqual(CheckPlaintext);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _aes.Dispose();
        }
    }

    private byte[] Seal(ReadOnlySpan<byte> plain, byte[] aad)
    {
        byte[] blob = new byte[NonceLength + plain.Length + TagLength];
        Span<byte> nonce = blob.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        lock (_gate)
        {
            _aes.Encrypt(nonce, plain, blob.AsSpan(NonceLength, plain.Length), blob.AsSpan(NonceLength + plain.Length), aad);
        }

        return blob;
    }

    private byte[]? Open(byte[] blob, byte[] aad)
    {
        if (blob.Length < NonceLength + TagLength)
        {
            return null;
        }

        int length = blob.Length - NonceLength - TagLength;
        byte[] plain = new byte[length];
        try
        {
            lock (_gate)
            {
                _aes.Decrypt(blob.AsSpan(0, NonceLength), blob.AsSpan(NonceLength, length), blob.AsSpan(NonceLength + length), plain, aad);
            }

            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plain);
            return null;
        }
    }

    private static byte[] KeyAad(string deviceId, KeyKind kind, long generation)
        => Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"smets1sim-headend/v1/key/{deviceId}/{(byte)kind}/{generation}"));

    private static byte[] CheckAad() => Encoding.ASCII.GetBytes("smets1sim-headend/v1/check");
}

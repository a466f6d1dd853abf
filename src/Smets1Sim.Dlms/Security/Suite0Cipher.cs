using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// DLMS/COSEM security suite 0 (AES-GCM-128, 12-byte tag) for one (EK, AK) pair: protects and unprotects the
/// body of a ciphered APDU (DLMS UA Green Book, security suite 0 and the cryptographic protection of xDLMS APDUs):
/// <code>
///   +----+--------------------+---------------------------+-----------------+
///   | SC | IC (u32 BE)        | payload                   | tag (12 bytes)  |
///   +----+--------------------+---------------------------+-----------------+
///   IV  = sender system title (8) || IC (4)
///   SC 0x30  AAD = SC || AK          payload = GCM ciphertext of the APDU
///   SC 0x10  AAD = SC || AK || APDU  payload = the APDU in clear
///   SC 0x20  (no AAD, no tag)        payload = GCM ciphertext of the APDU (the CTR keystream from J0 + 1)
/// </code>
/// Replay protection is not done here: <see cref="Unprotect"/> returns the IC and the caller checks it against an
/// <see cref="IncomingInvocationCounter"/> of the same key. Only the unicast key is held, so SC bit 6 (broadcast
/// key) is refused, as are compression and any suite other than 0. Thread-safe; one instance per key pair.
/// </summary>
public sealed class Suite0Cipher : IDisposable
{
    /// <summary>GCM tag length of suite 0 in bytes.</summary>
    public const int TagLength = 12;

    /// <summary>EK and AK length of suite 0 in bytes (AES-128).</summary>
    public const int KeyLength = 16;

    /// <summary>Length of SC plus IC at the start of every ciphered body.</summary>
    public const int HeaderLength = 5;

    private const int NonceLength = SystemTitle.Length + 4;
    private const int MaxStackAadLength = 256;

    private readonly AesGcm _gcm;

    // The AK only ever enters the AAD; pinned so that zeroing it on Dispose leaves no copy behind.
    private readonly byte[] _authenticationKey;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates a cipher from copies of the keys; the caller keeps ownership of the arguments.</summary>
    /// <param name="encryptionKey">The (global unicast or dedicated) encryption key EK, 16 bytes.</param>
    /// <param name="authenticationKey">The authentication key AK, 16 bytes.</param>
    /// <exception cref="ArgumentException">A key is not 16 bytes.</exception>
    public Suite0Cipher(SecretKey encryptionKey, SecretKey authenticationKey)
    {
        ArgumentNullException.ThrowIfNull(encryptionKey);
        ArgumentNullException.ThrowIfNull(authenticationKey);
        if (encryptionKey.Length != KeyLength)
        {
            throw new ArgumentException($"suite 0 is AES-128: the encryption key must be {KeyLength} bytes", nameof(encryptionKey));
        }

        if (authenticationKey.Length != KeyLength)
        {
            throw new ArgumentException($"suite 0 needs a {KeyLength}-byte authentication key", nameof(authenticationKey));
        }

        _gcm = new AesGcm(encryptionKey.Span, TagLength);
        _authenticationKey = GC.AllocateArray<byte>(KeyLength, pinned: true);
        authenticationKey.Span.CopyTo(_authenticationKey);
    }

    /// <summary>
    /// Protects <paramref name="apdu"/> and returns the ciphered body <c>SC | IC | payload | tag</c> (no tag for
    /// SC 0x20). The caller owns the IC: it must never pass the same value twice under one key.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="securityControl"/> asks for no protection, another suite, the broadcast key or compression.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The cipher was disposed.</exception>
    public byte[] Protect(SecurityControl securityControl, SystemTitle sender, uint invocationCounter, ReadOnlySpan<byte> apdu)
    {
        string? unsupported = Unsupported(securityControl);
        if (unsupported is not null)
        {
            throw new ArgumentException($"cannot protect with {securityControl}: {unsupported}", nameof(securityControl));
        }

        int tagLength = securityControl.Authenticated ? TagLength : 0;
        byte[] body = new byte[HeaderLength + apdu.Length + tagLength];
        body[0] = securityControl.Value;
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), invocationCounter);
        Span<byte> payload = body.AsSpan(HeaderLength, apdu.Length);
        Span<byte> tag = body.AsSpan(HeaderLength + apdu.Length, tagLength);

        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, sender, invocationCounter);

        if (securityControl.Encrypted)
        {
            Encrypt(securityControl, nonce, apdu, payload, tag);
        }
        else
        {
            apdu.CopyTo(payload);
            ComputeTag(securityControl, nonce, apdu, tag);
        }

        return body;
    }

    /// <summary>
    /// Checks and removes the protection of a ciphered body <c>SC | IC | payload | tag</c> sent by
    /// <paramref name="sender"/> and returns the APDU. Nothing of the plaintext is returned unless the tag verified.
    /// </summary>
    /// <param name="body">The ciphered body (the content of a glo-/ded-/general-ciphering envelope).</param>
    /// <param name="sender">System title of the peer that protected the body (the IV's first half).</param>
    /// <param name="securityControl">The SC the sender used; the caller checks it against its security policy.</param>
    /// <param name="invocationCounter">The sender's IC; the caller checks it for replay.</param>
    /// <exception cref="DlmsProtocolException">The body is shorter than SC + IC (+ tag when authenticated).</exception>
    /// <exception cref="DlmsSecurityException">
    /// <see cref="SecurityFailure.AuthenticationFailed"/> when the tag does not verify;
    /// <see cref="SecurityFailure.UnsupportedProtection"/> for SC 0x00, a suite other than 0, the broadcast key or
    /// compression.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The cipher was disposed.</exception>
    public byte[] Unprotect(ReadOnlySpan<byte> body, SystemTitle sender, out SecurityControl securityControl, out uint invocationCounter) =>
        UnprotectAt(body, baseOffset: 0, sender, out securityControl, out invocationCounter);

    /// <summary>Zeroes the key copies and releases the AES context.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _gcm.Dispose();
            CryptographicOperations.ZeroMemory(_authenticationKey);
        }
    }

    /// <summary>Describes the cipher without revealing its keys.</summary>
    public override string ToString() => _disposed ? "Suite0Cipher(disposed)" : "Suite0Cipher(AES-GCM-128, 12-byte tag)";

    /// <summary>Same as the public overload; error offsets are reported relative to the enclosing buffer.</summary>
    internal byte[] UnprotectAt(ReadOnlySpan<byte> body, int baseOffset, SystemTitle sender, out SecurityControl securityControl, out uint invocationCounter)
    {
        var reader = new DlmsReader(body, baseOffset);
        securityControl = new SecurityControl(reader.ReadByte("security control byte"));
        invocationCounter = reader.ReadUInt32("invocation counter");

        string? unsupported = Unsupported(securityControl);
        if (unsupported is not null)
        {
            throw new DlmsSecurityException(SecurityFailure.UnsupportedProtection, $"refused {securityControl}: {unsupported}");
        }

        int tagLength = securityControl.Authenticated ? TagLength : 0;
        if (reader.Remaining < tagLength)
        {
            throw reader.Error($"truncated: {securityControl} needs a {TagLength}-byte tag, {reader.Remaining} bytes remain");
        }

        ReadOnlySpan<byte> payload = reader.ReadBytes(reader.Remaining - tagLength, "ciphered payload");
        ReadOnlySpan<byte> tag = reader.ReadBytes(tagLength, "authentication tag");

        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, sender, invocationCounter);
        byte[] apdu = new byte[payload.Length];

        if (securityControl.Encrypted)
        {
            Decrypt(securityControl, nonce, payload, tag, apdu, invocationCounter);
        }
        else
        {
            if (!VerifyTag(securityControl, nonce, payload, tag))
            {
                throw AuthenticationFailed(securityControl, invocationCounter);
            }

            payload.CopyTo(apdu);
        }

        return apdu;
    }

    /// <summary>
    /// The suite-0 tag over <c>SC || AK || <paramref name="authenticatedData"/></c> with an empty plaintext: the
    /// SC 0x10 tag and the HLS-GMAC response f(challenge) (Green Book HLS mechanism id 5).
    /// </summary>
    internal void ComputeTag(SecurityControl securityControl, SystemTitle sender, uint invocationCounter, ReadOnlySpan<byte> authenticatedData, Span<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, sender, invocationCounter);
        ComputeTag(securityControl, nonce, authenticatedData, tag);
    }

    /// <summary>Verifies a tag made by <see cref="ComputeTag(SecurityControl, SystemTitle, uint, ReadOnlySpan{byte}, Span{byte})"/>.</summary>
    internal bool VerifyTag(SecurityControl securityControl, SystemTitle sender, uint invocationCounter, ReadOnlySpan<byte> authenticatedData, ReadOnlySpan<byte> tag)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, sender, invocationCounter);
        return VerifyTag(securityControl, nonce, authenticatedData, tag);
    }

    private static string? Unsupported(SecurityControl sc) =>
        sc.SuiteId != 0 ? $"security suite {sc.SuiteId} is not implemented (only suite 0)"
        : sc.Compressed ? "compression is not supported"
        : sc.BroadcastKey ? "the broadcast key is not held by this cipher"
        : !sc.Authenticated && !sc.Encrypted ? "a ciphered APDU must be authenticated, encrypted or both"
        : null;

    private static void WriteNonce(Span<byte> nonce, SystemTitle sender, uint invocationCounter)
    {
        sender.WriteTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[SystemTitle.Length..], invocationCounter);
    }

    private static DlmsSecurityException AuthenticationFailed(SecurityControl sc, uint invocationCounter) =>
        new(SecurityFailure.AuthenticationFailed, $"authentication tag mismatch ({sc}, IC {invocationCounter})");

    private void Encrypt(SecurityControl sc, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        if (!sc.Authenticated)
        {
            // SC 0x20: the GCM ciphertext without its tag; the tag over an empty AAD is computed and dropped.
            Span<byte> discarded = stackalloc byte[TagLength];
            lock (_lock)
            {
                Gcm().Encrypt(nonce, plaintext, ciphertext, discarded);
            }

            return;
        }

        using var aad = new AadBuffer(stackalloc byte[MaxStackAadLength], 1 + KeyLength);
        lock (_lock)
        {
            AesGcm gcm = Gcm();
            FillAad(aad.Span, sc, []);
            gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad.Span);
        }
    }

    private void Decrypt(SecurityControl sc, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, uint invocationCounter)
    {
        if (!sc.Authenticated)
        {
            // SC 0x20 carries no tag, so AesGcm.Decrypt cannot be used. GCM encryption is CTR mode, its own inverse:
            // "encrypting" the ciphertext under the same IV yields the plaintext.
            Span<byte> discarded = stackalloc byte[TagLength];
            lock (_lock)
            {
                Gcm().Encrypt(nonce, ciphertext, plaintext, discarded);
            }

            return;
        }

        using var aad = new AadBuffer(stackalloc byte[MaxStackAadLength], 1 + KeyLength);
        lock (_lock)
        {
            AesGcm gcm = Gcm();
            FillAad(aad.Span, sc, []);
            try
            {
                gcm.Decrypt(nonce, ciphertext, tag, plaintext, aad.Span);
                return;
            }
            catch (AuthenticationTagMismatchException)
            {
                // AesGcm has cleared the output already; clear again so that holds whatever the platform.
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        throw AuthenticationFailed(sc, invocationCounter);
    }

    private void ComputeTag(SecurityControl sc, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> authenticatedData, Span<byte> tag)
    {
        using var aad = new AadBuffer(stackalloc byte[MaxStackAadLength], 1 + KeyLength + authenticatedData.Length);
        lock (_lock)
        {
            AesGcm gcm = Gcm();
            FillAad(aad.Span, sc, authenticatedData);
            gcm.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, aad.Span);
        }
    }

    private bool VerifyTag(SecurityControl sc, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> authenticatedData, ReadOnlySpan<byte> tag)
    {
        if (tag.Length != TagLength)
        {
            return false;
        }

        using var aad = new AadBuffer(stackalloc byte[MaxStackAadLength], 1 + KeyLength + authenticatedData.Length);
        lock (_lock)
        {
            AesGcm gcm = Gcm();
            FillAad(aad.Span, sc, authenticatedData);
            try
            {
                gcm.Decrypt(nonce, ReadOnlySpan<byte>.Empty, tag, Span<byte>.Empty, aad.Span);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }
    }

    /// <summary>AAD = SC || AK || extra (Green Book, AAD of security suite 0). Call under the lock, after the disposed check.</summary>
    private void FillAad(Span<byte> aad, SecurityControl sc, ReadOnlySpan<byte> extra)
    {
        aad[0] = sc.Value;
        _authenticationKey.CopyTo(aad[1..]);
        extra.CopyTo(aad[(1 + KeyLength)..]);
    }

    private AesGcm Gcm()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _gcm;
    }

    /// <summary>Holds the AAD, which contains the AK: on the stack when small, pooled otherwise, zeroed after use.</summary>
    private readonly ref struct AadBuffer
    {
        private readonly byte[]? _rented;

        public AadBuffer(Span<byte> stackBuffer, int length)
        {
            if (length <= stackBuffer.Length)
            {
                _rented = null;
                Span = stackBuffer[..length];
            }
            else
            {
                _rented = ArrayPool<byte>.Shared.Rent(length);
                Span = _rented.AsSpan(0, length);
            }
        }

        public Span<byte> Span { get; }

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(Span);
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
            }
        }
    }
}

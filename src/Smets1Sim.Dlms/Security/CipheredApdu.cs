using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Smets1Sim.Dlms.Primitives;

namespace Smets1Sim.Dlms.Security;

/// <summary>
/// A ciphered xDLMS APDU as it travels: the envelope around a suite-0 ciphered body (DLMS UA Green Book, xDLMS APDUs).
/// <code>
///   service-specific   tag (C8.., D0.., 21, 28 ...) | A-XDR length | body
///   general-glo/ded    DB or DC | 08 | system title (8) | A-XDR length | body
///   body               SC | IC (u32 BE) | payload | tag (12, absent for SC 0x20)
/// </code>
/// The general forms name the sender's system title; the service-specific forms rely on the one exchanged in the
/// AARQ/AARE. general-ciphering (0xDD) is not supported. Equality compares the body bytes.
/// </summary>
public sealed record CipheredApdu
{
    private const int GeneralTitleHeaderLength = 1 + Security.SystemTitle.Length;

    /// <summary>Creates an envelope; <see cref="Seal"/> is the usual way to make one.</summary>
    /// <param name="kind">Envelope family.</param>
    /// <param name="tag">The envelope tag; must belong to <paramref name="kind"/>.</param>
    /// <param name="systemTitle">The sender's system title for the general forms, null for the service-specific ones.</param>
    /// <param name="body">SC | IC | payload | tag; at least SC and IC.</param>
    /// <exception cref="ArgumentException">The arguments do not describe a valid envelope.</exception>
    public CipheredApdu(CipheredApduKind kind, byte tag, SystemTitle? systemTitle, ReadOnlyMemory<byte> body)
    {
        bool valid = kind switch
        {
            CipheredApduKind.ServiceSpecificGlobal =>
                CipheredTags.TryGetPlainTag(tag, out _, out bool ded) && !ded && systemTitle is null,
            CipheredApduKind.ServiceSpecificDedicated =>
                CipheredTags.TryGetPlainTag(tag, out _, out bool ded) && ded && systemTitle is null,
            CipheredApduKind.GeneralGlobal => tag == CipheredTags.GeneralGlobalCiphering && systemTitle is not null,
            CipheredApduKind.GeneralDedicated => tag == CipheredTags.GeneralDedicatedCiphering && systemTitle is not null,
            _ => false,
        };
        if (!valid)
        {
            throw new ArgumentException(
                $"tag 0x{tag:X2} {(systemTitle is null ? "without" : "with")} a system title is not a {kind} envelope", nameof(kind));
        }

        if (body.Length < Suite0Cipher.HeaderLength)
        {
            throw new ArgumentException($"a ciphered body has at least SC and IC ({Suite0Cipher.HeaderLength} bytes)", nameof(body));
        }

        Kind = kind;
        Tag = tag;
        SystemTitle = systemTitle;
        Body = body;
    }

    /// <summary>Envelope family.</summary>
    public CipheredApduKind Kind { get; }

    /// <summary>The envelope's tag byte (e.g. 0xC8, 0xDB).</summary>
    public byte Tag { get; }

    /// <summary>The sender's system title carried by the general forms; null for the service-specific forms.</summary>
    public SystemTitle? SystemTitle { get; }

    /// <summary>The ciphered body: SC | IC | payload | tag.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>True for the general-glo/ded-ciphering forms.</summary>
    public bool IsGeneral => Kind is CipheredApduKind.GeneralGlobal or CipheredApduKind.GeneralDedicated;

    /// <summary>True when the dedicated (session) key protects the body.</summary>
    public bool IsDedicated => Kind is CipheredApduKind.ServiceSpecificDedicated or CipheredApduKind.GeneralDedicated;

    /// <summary>The security control byte at the start of the body (not authenticated until <see cref="Open"/> succeeds).</summary>
    public SecurityControl SecurityControl => new(Body.Span[0]);

    /// <summary>The sender's invocation counter (not authenticated until <see cref="Open"/> succeeds).</summary>
    public uint InvocationCounter => BinaryPrimitives.ReadUInt32BigEndian(Body.Span[1..]);

    /// <summary>Encoded length in bytes.</summary>
    public int EncodedLength => 1 + (IsGeneral ? GeneralTitleHeaderLength : 0) + AxdrLengthSize(Body.Length) + Body.Length;

    /// <summary>True for every tag that opens a ciphered APDU: glo-/ded- tags and 0xDB, 0xDC, 0xDD.</summary>
    public static bool IsCiphered(byte tag) =>
        CipheredTags.IsServiceSpecific(tag)
        || tag is CipheredTags.GeneralGlobalCiphering or CipheredTags.GeneralDedicatedCiphering or CipheredTags.GeneralCiphering;

    /// <summary>
    /// Decodes one ciphered APDU that fills the whole of <paramref name="input"/>. The body is copied out.
    /// </summary>
    /// <exception cref="DlmsProtocolException">
    /// Not a ciphered tag, general-ciphering (0xDD), a system title that is not 8 bytes, a length that overruns
    /// the input, a body shorter than SC + IC, or trailing bytes.
    /// </exception>
    public static CipheredApdu Decode(ReadOnlySpan<byte> input)
    {
        var reader = new DlmsReader(input);
        byte tag = reader.PeekByte("ciphered APDU tag");
        CipheredApduKind kind;
        SystemTitle? title = null;
        if (tag is CipheredTags.GeneralGlobalCiphering or CipheredTags.GeneralDedicatedCiphering)
        {
            reader.ReadByte("ciphered APDU tag");
            kind = (CipheredApduKind)tag;
            byte titleLength = reader.PeekByte("system-title length");
            if (titleLength != Security.SystemTitle.Length)
            {
                throw reader.Error($"system-title length must be {Security.SystemTitle.Length}, got {titleLength}");
            }

            reader.ReadByte("system-title length");
            title = new SystemTitle(reader.ReadUInt64("system-title"));
        }
        else if (tag == CipheredTags.GeneralCiphering)
        {
            throw reader.Error("general-ciphering (0xDD) is not supported; use general-glo (0xDB) or general-ded (0xDC) ciphering");
        }
        else if (CipheredTags.TryGetPlainTag(tag, out _, out bool dedicated))
        {
            reader.ReadByte("ciphered APDU tag");
            kind = dedicated ? CipheredApduKind.ServiceSpecificDedicated : CipheredApduKind.ServiceSpecificGlobal;
        }
        else
        {
            throw reader.Error($"0x{tag:X2} is not a ciphered APDU tag");
        }

        int length = reader.ReadAxdrLength("ciphered content");
        if (length < Suite0Cipher.HeaderLength)
        {
            throw reader.Error($"ciphered content of {length} bytes is shorter than SC + IC");
        }

        byte[] body = reader.ReadBytes(length, "ciphered content").ToArray();
        reader.ExpectEnd("ciphered APDU");
        return new CipheredApdu(kind, tag, title, body);
    }

    /// <summary>
    /// Protects <paramref name="plainApdu"/> and wraps it in the envelope <paramref name="kind"/>: service-specific
    /// forms take the glo-/ded- tag of the APDU's first byte, general forms carry <paramref name="sender"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The APDU is empty, or a service-specific form was asked for an APDU that has none (e.g. data-notification).
    /// </exception>
    public static CipheredApdu Seal(
        Suite0Cipher cipher,
        CipheredApduKind kind,
        SecurityControl securityControl,
        SystemTitle sender,
        uint invocationCounter,
        ReadOnlySpan<byte> plainApdu)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (plainApdu.IsEmpty)
        {
            throw new ArgumentException("an APDU has at least a tag byte", nameof(plainApdu));
        }

        byte plain = plainApdu[0];
        byte tag;
        switch (kind)
        {
            case CipheredApduKind.ServiceSpecificGlobal when CipheredTags.TryGetGlobalTag(plain, out tag):
            case CipheredApduKind.ServiceSpecificDedicated when CipheredTags.TryGetDedicatedTag(plain, out tag):
                break;
            case CipheredApduKind.ServiceSpecificGlobal or CipheredApduKind.ServiceSpecificDedicated:
                throw new ArgumentException(
                    $"APDU tag 0x{plain:X2} has no service-specific ciphered form; use general ciphering", nameof(plainApdu));
            case CipheredApduKind.GeneralGlobal or CipheredApduKind.GeneralDedicated:
                tag = (byte)kind;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown envelope kind");
        }

        byte[] body = cipher.Protect(securityControl, sender, invocationCounter, plainApdu);
        return new CipheredApdu(kind, tag, kind is CipheredApduKind.GeneralGlobal or CipheredApduKind.GeneralDedicated ? sender : null, body);
    }

    /// <summary>
    /// Verifies and decrypts the body and returns the plain APDU. For the service-specific forms the APDU's tag
    /// must be the one the envelope's tag stands for. The caller picks the cipher (<see cref="IsDedicated"/> says
    /// which key) and then checks <paramref name="securityControl"/> against its policy and
    /// <paramref name="invocationCounter"/> for replay.
    /// </summary>
    /// <param name="cipher">Cipher holding the key the envelope calls for.</param>
    /// <param name="sender">The system title the peer authenticated with; a general form must carry the same.</param>
    /// <param name="securityControl">The SC the sender used.</param>
    /// <param name="invocationCounter">The sender's IC.</param>
    /// <exception cref="DlmsProtocolException">
    /// The body is truncated, or the decrypted APDU is empty or does not match the envelope's tag.
    /// </exception>
    /// <exception cref="DlmsSecurityException">
    /// <see cref="SecurityFailure.AuthenticationFailed"/>, <see cref="SecurityFailure.UnsupportedProtection"/>, or
    /// <see cref="SecurityFailure.SystemTitleMismatch"/> when a general form names another sender.
    /// </exception>
    public byte[] Open(Suite0Cipher cipher, SystemTitle sender, out SecurityControl securityControl, out uint invocationCounter)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (SystemTitle is { } carried && carried != sender)
        {
            throw new DlmsSecurityException(
                SecurityFailure.SystemTitleMismatch, $"ciphered APDU names sender {carried}, expected {sender}");
        }

        int bodyOffset = EncodedLength - Body.Length;
        byte[] apdu = cipher.UnprotectAt(Body.Span, bodyOffset, sender, out securityControl, out invocationCounter);
        int payloadOffset = bodyOffset + Suite0Cipher.HeaderLength;
        if (apdu.Length == 0)
        {
            throw new DlmsProtocolException("the ciphered APDU carries an empty APDU", payloadOffset);
        }

        if (CipheredTags.TryGetPlainTag(Tag, out byte expected, out _) && apdu[0] != expected)
        {
            byte actual = apdu[0];
            CryptographicOperations.ZeroMemory(apdu);
            throw new DlmsProtocolException(
                $"envelope 0x{Tag:X2} must carry an APDU with tag 0x{expected:X2}, it carries 0x{actual:X2}", payloadOffset);
        }

        return apdu;
    }

    /// <summary>Writes the envelope.</summary>
    public void Encode(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(Tag);
        if (SystemTitle is { } title)
        {
            writer.WriteByte(Security.SystemTitle.Length);
            writer.WriteUInt64(title.Value);
        }

        writer.WriteAxdrLength(Body.Length);
        writer.WriteBytes(Body.Span);
    }

    /// <summary>The encoded envelope as a new array.</summary>
    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(EncodedLength);
        Encode(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <inheritdoc/>
    public bool Equals(CipheredApdu? other) =>
        other is not null
        && Kind == other.Kind
        && Tag == other.Tag
        && SystemTitle == other.SystemTitle
        && Body.Span.SequenceEqual(other.Body.Span);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Tag);
        hash.Add(SystemTitle);
        hash.AddBytes(Body.Span);
        return hash.ToHashCode();
    }

    /// <summary>Summary without the payload, e.g. "CipheredApdu { 0xC8 ServiceSpecificGlobal, SC 0x30 (...), IC 1, 30 bytes }".</summary>
    public override string ToString() =>
        $"CipheredApdu {{ 0x{Tag:X2} {Kind}{(SystemTitle is { } t ? $" from {t}" : string.Empty)}, {SecurityControl}, IC {InvocationCounter}, {Body.Length} bytes }}";

    private static int AxdrLengthSize(int length) => length switch
    {
        < 0x80 => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        _ => 5,
    };
}

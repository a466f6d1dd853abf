using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Policy = Smets1Sim.Dlms.Security.SecurityPolicy;

namespace Smets1Sim.Devices.Server;

/// <summary>
/// Ciphering and policy of one association (docs/dlms-wire.md section 3): opens protected requests under the
/// global or dedicated key, enforces the security policy and the replay rule, and seals responses in the family
/// the request used with a fresh IC.
/// </summary>
internal sealed class AssociationCiphering(ServerAssociation association) : IDisposable
{
    /// <summary>Ciphering adds at most this much to an APDU (general-glo: tag, ST, length, SC, IC, tag).</summary>
    internal const int Overhead = 1 + 1 + 8 + 3 + Suite0Cipher.HeaderLength + Suite0Cipher.TagLength;

    private Suite0Cipher? _dedicated;

    /// <summary>
    /// The longest plain response that still fits the client's max receive PDU once protected (no floor: a reply
    /// above the client's limit is one it drops). Establishment refuses a max PDU below 64, which leaves 34 bytes:
    /// enough for the longest reply that cannot be cut into blocks, the 25-byte pass-4 action-response.
    /// </summary>
    public int MaxResponseApdu => association.ClientMaxReceivePduSize - (association.Settings.Ciphered ? Overhead : 0);

    /// <summary>Uses the dedicated key the client sent in its InitiateRequest for ded-* APDUs.</summary>
    public void UseDedicatedKey(ReadOnlySpan<byte> key)
    {
        using SecretKey ek = SecretKey.FromBytes(key);
        _dedicated?.Dispose();
        _dedicated = new Suite0Cipher(ek, association.Device.Security.Keys.Authentication);
    }

    /// <summary>True when a request protected with <paramref name="control"/> meets <paramref name="policy"/>.</summary>
    public static bool MeetsPolicy(Policy policy, SecurityControl control)
        => (!policy.HasFlag(Policy.AuthenticatedRequest) || control.Authenticated)
            && (!policy.HasFlag(Policy.EncryptedRequest) || control.Encrypted);

    /// <summary>Returns the plain request; a ciphered one is opened, checked against the policy and its IC accepted.</summary>
    /// <exception cref="DlmsServiceErrorException">The protection is not what the association and policy require.</exception>
    /// <exception cref="DlmsSecurityException">The tag did not verify or the IC was used before.</exception>
    /// <exception cref="DlmsProtocolException">The envelope is malformed.</exception>
    public byte[] OpenRequest(ReadOnlySpan<byte> apdu, out RequestProtection protection)
    {
        if (!CipheredApdu.IsCiphered(apdu[0]))
        {
            if (association.Settings.Ciphered && (association.Device.Security.Policy & (Policy.AuthenticatedRequest | Policy.EncryptedRequest)) != 0)
            {
                throw DlmsServiceErrorException.NotAssociated("the security policy requires protected requests");
            }

            protection = RequestProtection.Plain;
            return apdu.ToArray();
        }

        if (!association.Settings.Ciphered)
        {
            throw DlmsServiceErrorException.NotAssociated("a ciphered APDU in an association without ciphering");
        }

        var envelope = CipheredApdu.Decode(apdu);
        Suite0Cipher cipher = (envelope.IsDedicated ? _dedicated : association.Device.Security.Cipher)
            ?? throw new DlmsServiceErrorException(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.DecipheringError, "a ded-* APDU but no dedicated key was agreed");
        byte[] plain = envelope.Open(cipher, association.ClientTitle!.Value, out SecurityControl control, out uint ic);
        if (!MeetsPolicy(association.Device.Security.Policy, control))
        {
            throw DlmsServiceErrorException.NotAssociated("the request's protection is below the security policy");
        }

        uint? before = association.Device.Security.HighestAcceptedOrNone(association.Settings.ClientSap);
        association.Device.Security.AcceptIncoming(association.Settings.ClientSap, ic);
        protection = new RequestProtection(true, envelope.Kind, control, cipher, ic, before);
        return plain;
    }

    /// <summary>A server answers in the family the request used (docs/dlms-wire.md section 3), with the same key.</summary>
    public byte[] SealResponse(byte[] plain, in RequestProtection protection)
        => protection.Ciphered ? Seal(plain, protection.Kind, protection.Control, protection.Cipher) : plain;

    /// <summary>
    /// Protects a response: the policy's response flags decide the SC; with none set, the response mirrors the
    /// request's protection. A fresh IC every time (never reused, even across restarts).
    /// </summary>
    public byte[] Seal(byte[] plain, CipheredApduKind kind, SecurityControl requestControl, Suite0Cipher? cipher = null)
    {
        Policy policy = association.Device.Security.Policy;
        byte sc = (byte)((policy.HasFlag(Policy.AuthenticatedResponse) ? SecurityControl.AuthenticationBit : 0)
            | (policy.HasFlag(Policy.EncryptedResponse) ? SecurityControl.EncryptionBit : 0));
        if (sc == 0)
        {
            sc = (byte)(requestControl.Value & (SecurityControl.AuthenticationBit | SecurityControl.EncryptionBit));
        }

        if (sc == 0)
        {
            sc = SecurityControl.AuthenticatedEncrypted.Value;
        }

        if ((kind == CipheredApduKind.ServiceSpecificGlobal && !CipheredTags.TryGetGlobalTag(plain[0], out _))
            || (kind == CipheredApduKind.ServiceSpecificDedicated && !CipheredTags.TryGetDedicatedTag(plain[0], out _)))
        {
            kind = kind == CipheredApduKind.ServiceSpecificGlobal ? CipheredApduKind.GeneralGlobal : CipheredApduKind.GeneralDedicated;
        }

        return CipheredApdu.Seal(cipher ?? association.Device.Security.Cipher, kind, new SecurityControl(sc), association.Device.Identity.SystemTitle, association.Device.Security.NextOutgoing(), plain).ToArray();
    }

    /// <summary>
    /// The protected InitiateResponse of an RLRE, or null when the RLRQ's user-information cannot be read: a release
    /// is granted even then, and nothing is disclosed (Green Book 9.4).
    /// </summary>
    public byte[]? TryAnswerReleaseInitiate(ReadOnlySpan<byte> userInformation)
    {
        try
        {
            var envelope = CipheredApdu.Decode(userInformation);
            byte[] plain = envelope.Open(association.Device.Security.Cipher, association.ClientTitle!.Value, out SecurityControl sc, out uint ic);
            association.Device.Security.AcceptIncoming(association.Settings.ClientSap, ic);
            _ = InitiateRequest.Decode(plain);
            byte[] response = new InitiateResponse
            {
                NegotiatedConformance = association.Negotiated,
                ServerMaxReceivePduSize = association.Settings.ServerMaxReceivePduSize,
            }.ToArray();
            return Seal(response, envelope.Kind == CipheredApduKind.GeneralGlobal ? envelope.Kind : CipheredApduKind.ServiceSpecificGlobal, sc);
        }
        catch (Exception ex) when (ex is DlmsProtocolException or DlmsSecurityException)
        {
            return null;
        }
    }

    /// <summary>Drops the dedicated key.</summary>
    public void Dispose() => _dedicated?.Dispose();
}

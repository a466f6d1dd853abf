namespace Smets1Sim.Dlms.Security;

/// <summary>
/// Security policy of Security setup version 1, attribute 2 (Blue Book 4.4.7; docs/dlms-wire.md section 3): bit flags
/// saying which protection requests and responses must carry. The one policy type of client, server and head-end.
/// </summary>
[Flags]
public enum SecurityPolicy : byte
{
    /// <summary>No protection required.</summary>
    None = 0,
    /// <summary>Requests must be authenticated.</summary>
    AuthenticatedRequest = 0x04,
    /// <summary>Requests must be encrypted.</summary>
    EncryptedRequest = 0x08,
    /// <summary>Requests must be signed (not supported by suite 0).</summary>
    SignedRequest = 0x10,
    /// <summary>Responses are authenticated.</summary>
    AuthenticatedResponse = 0x20,
    /// <summary>Responses are encrypted.</summary>
    EncryptedResponse = 0x40,
    /// <summary>Responses are signed (not supported by suite 0).</summary>
    SignedResponse = 0x80,
    /// <summary>Everything authenticated and encrypted both ways: what SMETS1 management traffic uses.</summary>
    AuthenticatedEncrypted = AuthenticatedRequest | EncryptedRequest | AuthenticatedResponse | EncryptedResponse,
}

/// <summary>What a <see cref="SecurityPolicy"/> means for the security control byte of suite 0.</summary>
public static class SecurityPolicyExtensions
{
    /// <summary>True when the policy asks for signatures, which suite 0 cannot give.</summary>
    public static bool RequiresSignatures(this SecurityPolicy policy)
        => (policy & (SecurityPolicy.SignedRequest | SecurityPolicy.SignedResponse)) != 0;

    /// <summary>The suite-0 security control a request under this policy carries.</summary>
    public static SecurityControl RequestControl(this SecurityPolicy policy)
        => Control(policy.HasFlag(SecurityPolicy.AuthenticatedRequest), policy.HasFlag(SecurityPolicy.EncryptedRequest));

    /// <summary>The suite-0 security control a response under this policy carries.</summary>
    public static SecurityControl ResponseControl(this SecurityPolicy policy)
        => Control(policy.HasFlag(SecurityPolicy.AuthenticatedResponse), policy.HasFlag(SecurityPolicy.EncryptedResponse));

    /// <summary>True when <paramref name="actual"/> carries at least the protection <paramref name="required"/> asks for.</summary>
    public static bool Satisfies(this SecurityControl actual, SecurityControl required)
        => (!required.Authenticated || actual.Authenticated) && (!required.Encrypted || actual.Encrypted);

    private static SecurityControl Control(bool authenticated, bool encrypted)
        => new((byte)((authenticated ? SecurityControl.AuthenticationBit : 0) | (encrypted ? SecurityControl.EncryptionBit : 0)));
}

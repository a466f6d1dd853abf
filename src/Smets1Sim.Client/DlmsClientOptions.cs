using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>Which envelope the client puts around its ciphered APDUs (DLMS UA Green Book, ciphered xDLMS APDUs).</summary>
public enum CipheringForm
{
    /// <summary>Service-specific glo-* APDUs (glo-initiateRequest 0x21, glo-get-request 0xC8 ...): what mainstream clients send.</summary>
    ServiceSpecific = 1,

    /// <summary>general-glo-ciphering (0xDB) carrying the client system title; general-protection is proposed with it.</summary>
    GeneralGlobal = 2,
}

/// <summary>
/// Everything a <see cref="DlmsClient"/> needs to reach one logical device and open one association with it:
/// the endpoint, the wrapper ports, the authentication mechanism and, for a ciphered association, the client
/// system title and the suite-0 keys. Immutable; the keys stay owned by the caller (the client copies them into
/// its cipher and never disposes them).
/// </summary>
public sealed record DlmsClientOptions
{
    /// <summary>The customary DLMS/COSEM TCP port (IEC 62056-47).</summary>
    public const int DefaultPort = 4059;

    /// <summary>Client SAP of the public client: no security; may read the invocation counter (docs/dlms-wire.md section 2).</summary>
    public const ushort PublicClientSap = 16;

    /// <summary>Client SAP of the management client: HLS-GMAC, suite 0.</summary>
    public const ushort ManagementClientSap = 1;

    /// <summary>wPort of the management logical device (the CHF on a SMETS1 hub).</summary>
    public const ushort ManagementLogicalDeviceWPort = 1;

    /// <summary>Host name or address of the DLMS server.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port; <see cref="DefaultPort"/> unless the profile says otherwise.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The client SAP: the source wPort of every request and the destination wPort of every reply.</summary>
    public ushort ClientSap { get; init; } = PublicClientSap;

    /// <summary>The logical device's wPort: the destination of every request and the source of every reply.</summary>
    public ushort ServerWPort { get; init; } = ManagementLogicalDeviceWPort;

    /// <summary>
    /// <see cref="AuthenticationMechanism.None"/>, <see cref="AuthenticationMechanism.Lls"/> (with
    /// <see cref="LlsPassword"/>) or <see cref="AuthenticationMechanism.HlsGmac"/> (with the keys).
    /// </summary>
    public AuthenticationMechanism Mechanism { get; init; } = AuthenticationMechanism.None;

    /// <summary>The LLS password, required with <see cref="AuthenticationMechanism.Lls"/>.</summary>
    public ReadOnlyMemory<byte>? LlsPassword { get; init; }

    /// <summary>The client's system title (calling-AP-title; the IV of every APDU the client protects). Required when ciphered.</summary>
    public SystemTitle? ClientSystemTitle { get; init; }

    /// <summary>
    /// When set, the responding-AP-title of the AARE must equal it, or the association fails with
    /// <see cref="Dlms.SecurityFailure.SystemTitleMismatch"/>. When null the client learns the title from the AARE.
    /// </summary>
    public SystemTitle? ExpectedServerSystemTitle { get; init; }

    /// <summary>The global unicast encryption key EK. Setting it makes the association ciphered (LN with ciphering).</summary>
    public SecretKey? EncryptionKey { get; init; }

    /// <summary>The authentication key AK; required with <see cref="EncryptionKey"/>.</summary>
    public SecretKey? AuthenticationKey { get; init; }

    /// <summary>
    /// The security policy of the association (Security setup v1 flags; authenticated and encrypted both ways by
    /// default): requests carry the request protection it names, replies must carry at least the response protection.
    /// </summary>
    public SecurityPolicy SecurityPolicy { get; init; } = SecurityPolicy.AuthenticatedEncrypted;

    /// <summary>The envelope of ciphered requests; replies in either form are accepted.</summary>
    public CipheringForm CipheringForm { get; init; } = CipheringForm.ServiceSpecific;

    /// <summary>
    /// The first invocation counter the client uses under EK. Null: <see cref="DlmsClient.ConnectAsync"/> first reads the
    /// server's invocation counter object over the public client on a connection of its own and continues from value + 1
    /// (what mainstream clients do). A head-end that persists <see cref="DlmsClient.NextInvocationCounter"/> sets it.
    /// </summary>
    public uint? InitialInvocationCounter { get; init; }

    /// <summary>
    /// The highest invocation counter already accepted from this server under the current key, to restore the
    /// replay guard across connections; null when none is known.
    /// </summary>
    public uint? HighestServerInvocationCounter { get; init; }

    /// <summary>The invocation counter object read over the public client (Data, double-long-unsigned).</summary>
    public ObisCode InvocationCounterObject { get; init; } = new(0, 0, 43, 1, 0, 255);

    /// <summary>The conformance block proposed in the InitiateRequest; null for <see cref="DefaultConformance"/>.</summary>
    public Conformance? ProposedConformance { get; init; }

    /// <summary>client-max-receive-pdu-size proposed in the InitiateRequest.</summary>
    public ushort ClientMaxReceivePduSize { get; init; } = 1200;

    /// <summary>
    /// The longest APDU the client accepts in one wrapper frame. The wrapper maximum by default, so servers that ignore
    /// the negotiated size still work; lower it to enforce <see cref="ClientMaxReceivePduSize"/> strictly.
    /// </summary>
    public int MaxReceivedApduSize { get; init; } = ushort.MaxValue;

    /// <summary>The most bytes a GET or ACTION block transfer may assemble.</summary>
    public int MaxAssembledResponseSize { get; init; } = 1024 * 1024;

    /// <summary>How long the client waits for a reply (and for the TCP connect).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Length of the HLS challenge CtoS, 8..64 bytes.</summary>
    public int ChallengeLength { get; init; } = 16;

    /// <summary>The invoke-id (0..15) of the first request.</summary>
    public byte InvokeId { get; init; } = 1;

    /// <summary>
    /// When true the invoke-id advances with every new service request (wrapping 15 → 0); when false every request uses
    /// <see cref="InvokeId"/>, as mainstream clients do.
    /// </summary>
    public bool IncrementInvokeId { get; init; }

    /// <summary>The priority bit of invoke-id-and-priority (high by default, giving 0xC1 for invoke-id 1).</summary>
    public bool HighPriority { get; init; } = true;

    /// <summary>Bounds for every value decoded from a reply; <see cref="AxdrLimits.Default"/> when null.</summary>
    public AxdrLimits? DecodeLimits { get; init; }

    /// <summary>
    /// What the client proposes unless told otherwise: get, set, action, the three service-specific block transfers,
    /// selective-access and multiple-references.
    /// </summary>
    public static Conformance DefaultConformance =>
        Conformance.Get | Conformance.Set | Conformance.Action
        | Conformance.BlockTransferWithGetOrRead | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction
        | Conformance.SelectiveAccess | Conformance.MultipleReferences;

    /// <summary>True when the association is ciphered (an EK is set).</summary>
    public bool IsCiphered => EncryptionKey is not null;

    /// <summary>
    /// The conformance actually proposed: <see cref="ProposedConformance"/> or <see cref="DefaultConformance"/>, plus
    /// general-protection when <see cref="CipheringForm.GeneralGlobal"/> is used on a ciphered association.
    /// </summary>
    public Conformance EffectiveConformance =>
        (ProposedConformance ?? DefaultConformance)
        | (IsCiphered && CipheringForm == CipheringForm.GeneralGlobal ? Conformance.GeneralProtection : Conformance.None);

    /// <summary>Checks that the options describe an association the client can open.</summary>
    /// <exception cref="ArgumentException">A required setting is missing or two settings contradict each other.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("a host is required", nameof(Host));
        }

        if (Port is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException($"port {Port} is not a TCP port", nameof(Port));
        }

        if (Mechanism is not (AuthenticationMechanism.None or AuthenticationMechanism.Lls or AuthenticationMechanism.HlsGmac))
        {
            throw new ArgumentException($"mechanism {Mechanism} is not supported: use None, Lls or HlsGmac", nameof(Mechanism));
        }

        if (Mechanism == AuthenticationMechanism.Lls && LlsPassword is null)
        {
            throw new ArgumentException("LLS needs a password", nameof(LlsPassword));
        }

        if (Mechanism == AuthenticationMechanism.HlsGmac && !IsCiphered)
        {
            throw new ArgumentException("HLS-GMAC needs the encryption and authentication keys", nameof(EncryptionKey));
        }

        if (IsCiphered)
        {
            if (AuthenticationKey is null)
            {
                throw new ArgumentException("a ciphered association needs the authentication key as well", nameof(AuthenticationKey));
            }

            if (ClientSystemTitle is null)
            {
                throw new ArgumentException("a ciphered association needs the client system title", nameof(ClientSystemTitle));
            }

            SecurityControl request = SecurityPolicy.RequestControl();
            if (!request.Authenticated && !request.Encrypted || SecurityPolicy.RequiresSignatures())
            {
                throw new ArgumentException($"security policy {SecurityPolicy} is not one suite 0 can apply", nameof(SecurityPolicy));
            }
        }
        else if (AuthenticationKey is not null)
        {
            throw new ArgumentException("an authentication key without an encryption key makes no association", nameof(EncryptionKey));
        }

        if (CipheringForm is not (CipheringForm.ServiceSpecific or CipheringForm.GeneralGlobal))
        {
            throw new ArgumentException($"unknown ciphering form {CipheringForm}", nameof(CipheringForm));
        }

        if (ClientMaxReceivePduSize < 12)
        {
            throw new ArgumentException("client-max-receive-pdu-size must be at least 12", nameof(ClientMaxReceivePduSize));
        }

        if (MaxReceivedApduSize is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException($"the largest accepted APDU must be 1..{ushort.MaxValue} bytes", nameof(MaxReceivedApduSize));
        }

        if (MaxAssembledResponseSize < 1)
        {
            throw new ArgumentException("the block transfer limit must be positive", nameof(MaxAssembledResponseSize));
        }

        if (ResponseTimeout <= TimeSpan.Zero && ResponseTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("the response timeout must be positive (or infinite)", nameof(ResponseTimeout));
        }

        if (ChallengeLength is < HlsGmac.MinChallengeLength or > HlsGmac.MaxChallengeLength)
        {
            throw new ArgumentException(
                $"the HLS challenge is {HlsGmac.MinChallengeLength}..{HlsGmac.MaxChallengeLength} bytes", nameof(ChallengeLength));
        }

        if (InvokeId > 15)
        {
            throw new ArgumentException("the invoke-id has four bits (0..15)", nameof(InvokeId));
        }
    }

    /// <summary>Describes the options without key material.</summary>
    public override string ToString() =>
        $"DlmsClientOptions {{ {Host}:{Port}, client SAP {ClientSap} -> wPort {ServerWPort}, {Mechanism}, " +
        $"{(IsCiphered ? $"ciphered ({CipheringForm}, {SecurityPolicy})" : "not ciphered")} }}";
}

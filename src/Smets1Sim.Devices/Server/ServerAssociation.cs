using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>Association status as Association LN attribute 8 shows it (Blue Book 4.4.3).</summary>
internal enum AssociationStatus : byte
{
    NonAssociated = 0,
    Pending = 1,
    Associated = 2,
}

/// <summary>
/// One application association between a client SAP and a logical device on one connection: the negotiated
/// context and its life from establishment (<see cref="AssociationEstablishment"/>) to release. The jobs are
/// split: <see cref="AssociationCiphering"/> opens and seals APDUs under the policy, <see cref="XdlmsServices"/>
/// serves GET/SET/ACTION with their block transfers, <see cref="AccessResolver"/> resolves objects and rights,
/// <see cref="AssociationCosemAdapter"/> is what the COSEM objects see (HLS pass 3/4, key_transfer). Used under the
/// device's gate. Failures are thrown as the server's error ladder (ServerErrors.cs) for the session to map.
/// </summary>
internal sealed class ServerAssociation : IDisposable
{
    public ServerAssociation(LogicalDevice device, AssociationSettings settings, TimeProvider time, ILogger logger)
    {
        Device = device;
        Settings = settings;
        Logger = logger;
        var access = new AccessResolver(device, settings);
        Ciphering = new AssociationCiphering(this);
        Cosem = new AssociationCosemAdapter(this, access, time);
        Services = new XdlmsServices(this, access);
    }

    public LogicalDevice Device { get; }

    public AssociationSettings Settings { get; }

    public ILogger Logger { get; }

    public AssociationCiphering Ciphering { get; }

    public AssociationCosemAdapter Cosem { get; }

    public XdlmsServices Services { get; }

    public AssociationStatus Status { get; set; }

    public SystemTitle? ClientTitle { get; set; }

    public Conformance Negotiated { get; set; }

    public ushort ClientMaxReceivePduSize { get; set; }

    /// <summary>StoC: the challenge the server sent in the AARE (HLS).</summary>
    public byte[] ServerChallenge { get; set; } = [];

    /// <summary>CtoS: the challenge the client sent in the AARQ (HLS).</summary>
    public byte[] ClientChallenge { get; set; } = [];

    /// <summary>How the request being handled was protected.</summary>
    public RequestProtection Carrier { get; private set; } = RequestProtection.Plain;

    /// <summary>Set when key_transfer succeeded in immediate mode: the new keys go into force after this response.</summary>
    public bool ActivateKeysAfterResponse { get; set; }

    /// <summary>Handles one request APDU inside the association and returns the response APDU.</summary>
    /// <exception cref="DlmsServiceErrorException">The request is refused with an exception-response.</exception>
    /// <exception cref="DlmsSecurityException">The request failed a security check: the session aborts.</exception>
    /// <exception cref="DlmsProtocolException">The request is not a readable APDU.</exception>
    public byte[] Handle(ReadOnlySpan<byte> apdu)
    {
        if (Status == AssociationStatus.NonAssociated)
        {
            throw DlmsServiceErrorException.NotAssociated("the association was refused, aborted or released");
        }

        byte[] plain = Ciphering.OpenRequest(apdu, out RequestProtection protection);
        Carrier = protection;
        byte[] response = Services.Dispatch(plain);
        if (response.Length > Ciphering.MaxResponseApdu)
        {
            // Every reply must fit the client's max receive PDU: one above it is a reply the client drops.
            throw new DlmsServiceErrorException(ExceptionStateError.ServiceNotAllowed, ExceptionServiceError.PduTooLong, "the response exceeds the client's max receive PDU");
        }

        return Ciphering.SealResponse(response, protection);
    }

    /// <summary>Answers an RLRQ (Green Book 9.4: RLRE, with a protected InitiateResponse when one was sent).</summary>
    public byte[] Release(RlrqApdu request)
    {
        ReadOnlyMemory<byte>? userInformation = null;
        if (Settings.Ciphered && Status == AssociationStatus.Associated && request.UserInformation is { Length: > 0 } info)
        {
            userInformation = Ciphering.TryAnswerReleaseInitiate(info.Span);
        }

        Status = AssociationStatus.NonAssociated;
        if (Settings.Ciphered)
        {
            Device.Persist();
        }

        return new RlreApdu { Reason = ReleaseResponseReason.Normal, UserInformation = userInformation }.ToArray();
    }

    /// <summary>Marks the association aborted (after a security failure); it must be established again.</summary>
    public void Abort() => Status = AssociationStatus.NonAssociated;

    /// <summary>Drops the dedicated key of this association.</summary>
    public void Dispose() => Ciphering.Dispose();
}

/// <summary>How a request reached the association: in clear, or ciphered (family, SC, key, IC).</summary>
/// <param name="Ciphered">True for a ciphered APDU.</param>
/// <param name="Kind">The ciphering family of the request, which the response uses too.</param>
/// <param name="Control">The request's security control byte.</param>
/// <param name="Cipher">The key that opened it (global or dedicated).</param>
/// <param name="InvocationCounter">The IC of the carrying APDU.</param>
/// <param name="HighestAcceptedBefore">The highest IC accepted from this client before this one, or null.</param>
internal readonly record struct RequestProtection(
    bool Ciphered, CipheredApduKind Kind, SecurityControl Control, Suite0Cipher? Cipher, uint InvocationCounter, uint? HighestAcceptedBefore)
{
    public static RequestProtection Plain => default;
}

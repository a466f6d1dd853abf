using Smets1Sim.Devices.Server;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Framing;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.Server;

/// <summary>
/// A client scripted byte by byte against an in-memory <see cref="DlmsServerSession"/>: it can also replay and
/// tamper, which a well-behaved client never does.
/// </summary>
internal sealed class ScriptedPeer : IDisposable
{
    public static readonly SystemTitle ClientTitle = SystemTitle.Parse("4D4D4D0000000001");
    private static readonly ObisCode CurrentAssociation = WellKnownObis.CurrentAssociation;
    private readonly DlmsServerSession _session;
    private Suite0Cipher _cipher;

    public ScriptedPeer(DlmsServerSession session, ushort clientSap, ushort serverWPort, string ek = TestDevice.Ek, string ak = TestDevice.Ak)
    {
        _session = session;
        ClientSap = clientSap;
        ServerWPort = serverWPort;
        _cipher = NewCipher(ek, ak);
    }

    public ushort ClientSap { get; }

    public ushort ServerWPort { get; }

    public uint NextIc { get; set; } = 1;

    public CipheredApduKind Kind { get; set; } = CipheredApduKind.ServiceSpecificGlobal;

    public SystemTitle ServerTitle { get; private set; }

    public byte[]? LastSentApdu { get; private set; }

    /// <summary>The client max receive PDU size the AARQ proposes.</summary>
    public ushort MaxReceivePdu { get; set; } = 512;

    public static Suite0Cipher NewCipher(string ek, string ak)
    {
        using SecretKey e = SecretKey.FromHex(ek);
        using SecretKey a = SecretKey.FromHex(ak);
        return new Suite0Cipher(e, a);
    }

    public void UseKeys(string ek, string ak)
    {
        _cipher.Dispose();
        _cipher = NewCipher(ek, ak);
    }

    /// <summary>Sends one APDU; returns the reply APDU, or null when the server dropped or stayed silent.</summary>
    public byte[]? Send(byte[] apdu)
    {
        LastSentApdu = apdu;
        ServerReply reply = _session.Handle(new WrapperFrame(ClientSap, ServerWPort, apdu));
        if (reply.Frame is null)
        {
            return null;
        }

        Assert.AreEqual(ServerWPort, reply.Frame.SourceWPort, "reply ports must be swapped");
        Assert.AreEqual(ClientSap, reply.Frame.DestinationWPort, "reply ports must be swapped");
        return reply.Frame.Apdu.ToArray();
    }

    public ServerReply SendRaw(byte[] apdu) => _session.Handle(new WrapperFrame(ClientSap, ServerWPort, apdu));

    public AareApdu AssociatePublic()
    {
        byte[] aarq = new AarqApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            UserInformation = (ReadOnlyMemory<byte>?)InitiateRequestBytes(),
        }.ToArray();
        return AareApdu.Decode(Send(aarq)!);
    }

    public static byte[] InitiateRequestBytes(ushort maxReceivePdu = 512) => new InitiateRequest
    {
        ProposedConformance = Conformance.Get | Conformance.Set | Conformance.Action | Conformance.BlockTransferWithGetOrRead
            | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction | Conformance.SelectiveAccess | Conformance.MultipleReferences,
        ClientMaxReceivePduSize = maxReceivePdu,
    }.ToArray();

    /// <summary>AARQ with HLS-GMAC and a ciphered InitiateRequest; returns the AARE.</summary>
    public AareApdu SendHlsAarq(byte[] clientChallenge)
    {
        AareApdu aare = AareApdu.Decode(Send(BuildHlsAarq(clientChallenge))!);
        if (aare.RespondingApTitle is { } title)
        {
            ServerTitle = SystemTitle.FromBytes(title.Span);
        }

        return aare;
    }

    public byte[] BuildHlsAarq(byte[] clientChallenge)
    {
        byte[] initiate = Seal(InitiateRequestBytes(MaxReceivePdu));
        byte[] aarq = new AarqApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
            CallingApTitle = (ReadOnlyMemory<byte>?)ClientTitle.ToArray(),
            SenderAcseRequirements = true,
            MechanismName = AuthenticationMechanism.HlsGmac,
            CallingAuthenticationValue = (ReadOnlyMemory<byte>?)clientChallenge,
            UserInformation = (ReadOnlyMemory<byte>?)initiate,
        }.ToArray();
        return aarq;
    }

    /// <summary>Full HLS-GMAC association (AARQ/AARE, pass 3/4); asserts each step.</summary>
    public void AssociateHls()
    {
        byte[] ctos = HlsGmac.NewChallenge(16);
        AareApdu aare = SendHlsAarq(ctos);
        Assert.AreEqual(AssociationResult.Accepted, aare.Result);
        Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationRequired, aare.ServiceUserDiagnostic);
        byte[] initiateResponse = Open(aare.UserInformation!.Value.ToArray());
        Assert.AreEqual(0x08, initiateResponse[0]);
        byte[] stoc = aare.RespondingAuthenticationValue!.Value.ToArray();

        uint carrierIc = NextIc;
        byte[] fStoC = HlsGmac.ComputeResponse(_cipher, ClientTitle, carrierIc, stoc);
        var pass3 = new ActionRequestNormal(Invoke, new CosemMethodDescriptor(15, CurrentAssociation, 1), DlmsValue.OctetString(fStoC));
        var response = (ActionResponseNormal)Request(pass3);
        Assert.AreEqual(ActionResult.Success, response.Response.Result);
        var fCtoS = (DlmsOctetString)response.Response.ReturnParameters!.Data!;
        HlsGmac.Verify(_cipher, fCtoS.Span, ServerTitle, ctos);
    }

    public static InvokeIdAndPriority Invoke => new(1, serviceClassConfirmed: true, highPriority: true);

    public byte[] Seal(byte[] plain) => CipheredApdu.Seal(_cipher, Kind, SecurityControl.AuthenticatedEncrypted, ClientTitle, NextIc++, plain).ToArray();

    public byte[] Open(byte[] ciphered) => CipheredApdu.Decode(ciphered).Open(_cipher, ServerTitle, out _, out _);

    /// <summary>Sends a protected request and opens the protected response (throws if the reply is not ciphered).</summary>
    public XdlmsApdu Request(XdlmsApdu request)
    {
        byte[] reply = Send(Seal(request.ToArray())) ?? throw new InvalidOperationException("no reply");
        return XdlmsApduCodec.Decode(CipheredApdu.IsCiphered(reply[0]) ? Open(reply) : reply);
    }

    /// <summary>Sends an unprotected request.</summary>
    public XdlmsApdu RequestPlain(XdlmsApdu request) => XdlmsApduCodec.Decode(Send(request.ToArray())!);

    public void Dispose() => _cipher.Dispose();
}

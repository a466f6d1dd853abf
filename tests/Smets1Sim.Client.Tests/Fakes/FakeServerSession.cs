using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests.Fakes;

/// <summary>
/// The server half of one association, scripted by a test: answers the AARQ (public, or HLS-GMAC with the server side of
/// passes 3 and 4 built from the core's <see cref="HlsGmac"/> and <see cref="Suite0Cipher"/>), opens ciphered requests
/// and seals replies in the family the request used. Records what it saw so the test can assert on it.
/// </summary>
internal sealed class FakeServerSession : IAsyncDisposable
{
    private readonly IncomingInvocationCounter _clientCounters = new();

    public FakeServerSession(ServerPeer peer, bool ciphered)
    {
        Peer = peer;
        Cipher = ciphered ? TestKeys.Cipher() : null;
    }

    public ServerPeer Peer { get; }

    public Suite0Cipher? Cipher { get; }

    public SystemTitle ServerTitle { get; init; } = TestKeys.ServerTitle;

    /// <summary>The title the client named in the AARQ.</summary>
    public SystemTitle ClientTitle { get; private set; }

    /// <summary>The server's own invocation counter: each sealed reply takes the next value.</summary>
    public uint NextServerCounter { get; set; } = 0x01234567;

    public Conformance GrantedConformance { get; init; } = DlmsClientOptions.DefaultConformance;

    public ushort ServerMaxPdu { get; init; } = 1024;

    public byte[] StoC { get; init; } = TestKeys.Hex("503677524A323146");

    /// <summary>The envelope kind of the last ciphered request, used for the reply.</summary>
    public CipheredApduKind LastRequestKind { get; private set; } = CipheredApduKind.ServiceSpecificGlobal;

    /// <summary>The IC of the last ciphered request.</summary>
    public uint LastRequestCounter { get; private set; }

    /// <summary>The wire length of the last request APDU (after ciphering).</summary>
    public int LastRequestWireLength { get; private set; }

    /// <summary>Free for a script to note the attribute a GET named.</summary>
    public CosemAttributeDescriptor? LastGet { get; set; }

    public AarqApdu? Aarq { get; private set; }

    public byte[]? AarqBytes { get; private set; }

    public InitiateRequest? Initiate { get; private set; }

    public uint? AarqCounter { get; private set; }

    /// <summary>The IC the client put inside f(StoC) in pass 3.</summary>
    public uint? Pass3InnerCounter { get; private set; }

    /// <summary>The IC of the APDU that carried pass 3.</summary>
    public uint? Pass3CarrierCounter { get; private set; }

    /// <summary>Receives the AARQ and records it, opening a ciphered InitiateRequest.</summary>
    public async Task ReceiveAarqAsync(CancellationToken cancellationToken)
    {
        AarqBytes = await Peer.ReceiveApduAsync(cancellationToken);
        Aarq = AarqApdu.Decode(AarqBytes);
        byte[] userInformation = Aarq.UserInformation!.Value.ToArray();
        if (CipheredApdu.IsCiphered(userInformation[0]))
        {
            ClientTitle = SystemTitle.FromBytes(Aarq.CallingApTitle!.Value.Span);
            byte[] plain = OpenRequestBytes(userInformation, out uint ic);
            AarqCounter = ic;
            Initiate = InitiateRequest.Decode(plain);
        }
        else
        {
            Initiate = InitiateRequest.Decode(userInformation);
        }
    }

    /// <summary>Answers an unciphered AARQ with an accepting AARE.</summary>
    public Task SendPublicAareAsync(CancellationToken cancellationToken)
    {
        var aare = new AareApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalName,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = AcseServiceUserDiagnostic.Null,
            UserInformation = InitiateResponseBytes(),
        };
        return Peer.SendApduAsync(aare.ToArray(), cancellationToken);
    }

    /// <summary>Answers an HLS-GMAC AARQ: accepted, diagnostic 14, server title, StoC, ciphered InitiateResponse.</summary>
    public Task SendHlsAareAsync(CancellationToken cancellationToken)
    {
        var aare = new AareApdu
        {
            ApplicationContextName = ApplicationContextName.LogicalNameWithCiphering,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = AcseServiceUserDiagnostic.AuthenticationRequired,
            RespondingApTitle = ServerTitle.ToArray(),
            ResponderAcseRequirements = true,
            MechanismName = AuthenticationMechanism.HlsGmac,
            RespondingAuthenticationValue = StoC,
            UserInformation = InitiateResponseBytes(),
        };
        return Peer.SendApduAsync(aare.ToArray(), cancellationToken);
    }

    /// <summary>
    /// Receives pass 3, verifies f(StoC) with the client's title, and answers pass 4 with f(CtoS) (or, when
    /// <paramref name="corruptPass4"/>, with a tag that does not verify).
    /// </summary>
    public async Task AnswerPass3Async(CancellationToken cancellationToken, bool corruptPass4 = false)
    {
        ActionRequestNormal pass3 = await ReceiveRequestAsync<ActionRequestNormal>(cancellationToken);
        Pass3CarrierCounter = LastRequestCounter;
        Assert.AreEqual(new CosemMethodDescriptor(15, new ObisCode(0, 0, 40, 0, 0, 255), 1), pass3.Method, "pass 3 method");
        var f = (DlmsOctetString)pass3.Parameters!;
        Pass3InnerCounter = HlsGmac.Verify(Cipher!, f.Span, ClientTitle, StoC);

        byte[] ctos = Aarq!.CallingAuthenticationValue!.Value.ToArray();
        byte[] pass4 = HlsGmac.ComputeResponse(Cipher!, ServerTitle, NextServerCounter++, ctos);
        if (corruptPass4)
        {
            pass4[^1] ^= 0x01;
        }

        await ReplyAsync(
            new ActionResponseNormal(pass3.InvokeIdAndPriority, ActionResult.Success, GetDataResult.FromData(DlmsValue.OctetString(pass4))),
            cancellationToken);
    }

    /// <summary>The whole server side of an HLS-GMAC association.</summary>
    public async Task AssociateHlsAsync(CancellationToken cancellationToken)
    {
        await ReceiveAarqAsync(cancellationToken);
        await SendHlsAareAsync(cancellationToken);
        await AnswerPass3Async(cancellationToken);
    }

    /// <summary>The whole server side of a public association.</summary>
    public async Task AssociatePublicAsync(CancellationToken cancellationToken)
    {
        await ReceiveAarqAsync(cancellationToken);
        await SendPublicAareAsync(cancellationToken);
    }

    /// <summary>Receives one request, opens it when ciphered, decodes it as a <typeparamref name="T"/>.</summary>
    public async Task<T> ReceiveRequestAsync<T>(CancellationToken cancellationToken)
        where T : XdlmsApdu
    {
        byte[] apdu = await Peer.ReceiveApduAsync(cancellationToken);
        LastRequestWireLength = apdu.Length;
        byte[] plain = ReceivedPlain(apdu);
        XdlmsApdu request = XdlmsApduCodec.Decode(plain);
        Assert.IsInstanceOfType<T>(request, $"request 0x{plain[0]:X2}");
        return (T)request;
    }

    /// <summary>The plain APDU of a received request (opened and IC-checked when ciphered).</summary>
    public byte[] ReceivedPlain(byte[] apdu)
    {
        if (Cipher is null)
        {
            Assert.IsFalse(CipheredApdu.IsCiphered(apdu[0]), "an unciphered association sends plain APDUs");
            return apdu;
        }

        return OpenRequestBytes(apdu, out _);
    }

    /// <summary>Seals (when ciphered) and sends a reply in the family of the last request.</summary>
    public Task ReplyAsync(XdlmsApdu reply, CancellationToken cancellationToken) =>
        Peer.SendApduAsync(ReplyBytes(reply.ToArray()), cancellationToken);

    /// <summary>The reply APDU on the wire: sealed with the next server IC (or <paramref name="counter"/>) when ciphered.</summary>
    public byte[] ReplyBytes(byte[] plain, uint? counter = null)
    {
        if (Cipher is null)
        {
            return plain;
        }

        uint ic = counter ?? NextServerCounter++;
        CipheredApduKind kind = LastRequestKind == CipheredApduKind.GeneralGlobal ? CipheredApduKind.GeneralGlobal : CipheredApduKind.ServiceSpecificGlobal;
        return CipheredApdu.Seal(Cipher, kind, SecurityControl.AuthenticatedEncrypted, ServerTitle, ic, plain).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Cipher?.Dispose();
        await Peer.DisposeAsync();
    }

    private byte[] InitiateResponseBytes()
    {
        byte[] plain = new InitiateResponse { NegotiatedConformance = GrantedConformance, ServerMaxReceivePduSize = ServerMaxPdu }.ToArray();
        return ReplyBytes(plain);
    }

    private byte[] OpenRequestBytes(byte[] apdu, out uint ic)
    {
        CipheredApdu envelope = CipheredApdu.Decode(apdu);
        LastRequestKind = envelope.Kind;
        byte[] plain = envelope.Open(Cipher!, ClientTitle, out SecurityControl sc, out ic);
        Assert.AreEqual(SecurityControl.AuthenticatedEncrypted, sc, "the client's default protection");
        Assert.IsTrue(_clientCounters.TryAccept(ic), $"the client reused IC {ic}");
        LastRequestCounter = ic;
        return plain;
    }
}

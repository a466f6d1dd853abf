using System.Security.Cryptography;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>Association establishment and release (Green Book, COSEM application layer: ACSE services and HLS).</summary>
public sealed partial class DlmsClient
{
    /// <summary>
    /// Opens the application association. With HLS-GMAC (docs/dlms-wire.md section 3):
    /// <code>
    ///   AARQ  context LN-with-ciphering, calling-AP-title = client ST, 8A 02 07 80, mechanism 5, CtoS,
    ///         user-information = glo-initiateRequest (or general-glo) under IC n
    ///   AARE  accepted, diagnostic 14, responding-AP-title = server ST, StoC, ciphered InitiateResponse
    ///   pass 3  glo-action-request 0-0:40.0.0.255 method 1 (octet-string f(StoC)) under IC n+1; f(StoC) uses IC n+1 too
    ///   pass 4  action-response return data f(CtoS), verified with the server ST
    /// </code>
    /// </summary>
    /// <exception cref="DlmsAssociationException">The server rejected the association or refused the xDLMS initiate.</exception>
    /// <exception cref="DlmsSecurityException">
    /// <see cref="SecurityFailure.HlsAuthenticationFailed"/> when pass 4 does not verify or the server refuses pass 3;
    /// <see cref="SecurityFailure.SystemTitleMismatch"/> when the server's title is not the expected one; a tag or replay
    /// failure of the ciphered InitiateResponse. The connection is then broken.
    /// </exception>
    /// <exception cref="DlmsProtocolException">The AARE is malformed or inconsistent; the connection is then broken.</exception>
    public async Task AssociateAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureState(DlmsClientState.Connected, "associate");
            try
            {
                await AssociateCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (BreaksConnection(ex))
            {
                await MarkBrokenAsync(ex).ConfigureAwait(false);
                if (DlmsConnectionException.IsCommunicationFailure(ex))
                {
                    throw DlmsConnectionException.Wrap(ex, $"associating with {Options.Host}:{Options.Port} wPort {Options.ServerWPort}");
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Connects and associates.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        await AssociateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Releases the association (RLRQ with reason normal; with a ciphered association its user-information is a
    /// ciphered InitiateRequest under the next IC) and closes the TCP connection. Servers that close instead of
    /// answering, or answer with a malformed RLRE, are tolerated. On a broken or unassociated client this only closes.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state == DlmsClientState.Associated)
            {
                await ReleaseCoreAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Closed whatever happened, the caller's cancellation included: a half-released association is not reused.
            if (_state is DlmsClientState.Associated or DlmsClientState.Connected)
            {
                _state = DlmsClientState.Disconnected;
            }

            WrapperConnection? connection = Interlocked.Exchange(ref _connection, null);
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            _gate.Release();
        }
    }

    private async Task AssociateCoreAsync(CancellationToken cancellationToken)
    {
        ServerSystemTitle = null;
        byte[]? challenge = Options.Mechanism == AuthenticationMechanism.HlsGmac ? HlsGmac.NewChallenge(Options.ChallengeLength) : null;
        uint? aarqCounter = _cipher is null ? null : NextOutgoingCounter();
        byte[] aarq = BuildAarq(challenge, aarqCounter);

        ClientLog.AarqSent(_logger, Options.Mechanism, _cipher is not null, aarq.Length, aarqCounter);
        byte[] reply = await ExchangeAcseAsync(aarq, "AARQ", cancellationToken).ConfigureAwait(false);
        if (reply[0] != AareApdu.Tag)
        {
            throw new DlmsProtocolException($"expected an AARE (0x{AareApdu.Tag:X2}), got 0x{reply[0]:X2}", 0);
        }

        AareApdu aare = AareApdu.Decode(reply);
        ClientLog.AareReceived(_logger, aare.Result, aare.ServiceUserDiagnostic, aare.ServiceProviderDiagnostic, reply.Length);
        if (aare.Result != AssociationResult.Accepted)
        {
            var rejected = new DlmsAssociationException(
                aare.Result, aare.ServiceUserDiagnostic, aare.ServiceProviderDiagnostic, PlainInitiateError(aare.UserInformation));
            ClientLog.AssociationRefused(_logger, rejected.Message);
            throw rejected;
        }

        InitiateResponse initiate = AcceptAare(aare);
        NegotiatedConformance = initiate.NegotiatedConformance;
        ServerMaxReceivePduSize = initiate.ServerMaxReceivePduSize;

        if (challenge is not null)
        {
            await AuthenticateAsync(challenge, aare.RespondingAuthenticationValue!.Value.ToArray(), cancellationToken).ConfigureAwait(false);
        }

        _state = DlmsClientState.Associated;
        ClientLog.Associated(_logger, ServerSystemTitle, (uint)NegotiatedConformance, ServerMaxReceivePduSize);
    }

    /// <summary>The AARQ (docs/dlms-wire.md section 3 shows the HLS-GMAC layout).</summary>
    private byte[] BuildAarq(byte[]? challenge, uint? invocationCounter)
    {
        byte[] userInformation = InitiateRequestBytes(invocationCounter);
        AuthenticationMechanism mechanism = Options.Mechanism;

        // Absent fields are spelt (ReadOnlyMemory<byte>?)null: a bare null would convert to an empty, present memory.
        ReadOnlyMemory<byte>? callingTitle = _cipher is null ? (ReadOnlyMemory<byte>?)null : Options.ClientSystemTitle!.Value.ToArray();
        ReadOnlyMemory<byte>? authenticationValue = mechanism switch
        {
            AuthenticationMechanism.Lls => Options.LlsPassword,
            AuthenticationMechanism.HlsGmac => challenge!,
            _ => (ReadOnlyMemory<byte>?)null,
        };
        var aarq = new AarqApdu
        {
            ApplicationContextName = ProposedContext,
            CallingApTitle = callingTitle,
            SenderAcseRequirements = mechanism != AuthenticationMechanism.None,
            MechanismName = mechanism == AuthenticationMechanism.None ? null : mechanism,
            CallingAuthenticationValue = authenticationValue,
            UserInformation = userInformation,
        };
        return aarq.ToArray();
    }

    private ApplicationContextName ProposedContext =>
        _cipher is null ? ApplicationContextName.LogicalName : ApplicationContextName.LogicalNameWithCiphering;

    /// <summary>The xDLMS InitiateRequest, protected under <paramref name="invocationCounter"/> when ciphered.</summary>
    private byte[] InitiateRequestBytes(uint? invocationCounter)
    {
        byte[] plain = new InitiateRequest
        {
            ProposedConformance = Options.EffectiveConformance,
            ClientMaxReceivePduSize = Options.ClientMaxReceivePduSize,
        }.ToArray();
        return invocationCounter is { } ic ? Protect(plain, ic) : plain;
    }

    /// <summary>Checks an accepted AARE against what was proposed and returns the server's InitiateResponse.</summary>
    private InitiateResponse AcceptAare(AareApdu aare)
    {
        if (aare.ApplicationContextName != ProposedContext)
        {
            throw new DlmsProtocolException(
                $"the AARE accepts context {aare.ApplicationContextName}, the AARQ proposed {ProposedContext}", 0);
        }

        if (aare.MechanismName is { } named && named != Options.Mechanism)
        {
            throw new DlmsProtocolException($"the AARE names mechanism {named}, the AARQ proposed {Options.Mechanism}", 0);
        }

        bool hls = Options.Mechanism == AuthenticationMechanism.HlsGmac;
        AcseServiceUserDiagnostic expected = hls ? AcseServiceUserDiagnostic.AuthenticationRequired : AcseServiceUserDiagnostic.Null;
        if ((aare.ServiceUserDiagnostic ?? AcseServiceUserDiagnostic.Null) != expected)
        {
            throw new DlmsProtocolException(
                $"the accepting AARE carries diagnostic {DescribeDiagnostic(aare)}, expected {expected} for {Options.Mechanism}", 0);
        }

        if (hls)
        {
            int length = aare.RespondingAuthenticationValue?.Length ?? 0;
            if (length is < HlsGmac.MinChallengeLength or > HlsGmac.MaxChallengeLength)
            {
                throw new DlmsProtocolException($"the AARE's StoC challenge has {length} bytes, expected 8..64", 0);
            }
        }

        if (_cipher is not null)
        {
            ReadOnlyMemory<byte> title = aare.RespondingApTitle
                ?? throw new DlmsProtocolException("a ciphered AARE must carry the responding-AP-title (the server system title)", 0);
            if (title.Length != SystemTitle.Length)
            {
                throw new DlmsProtocolException($"the responding-AP-title has {title.Length} bytes, a system title has 8", 0);
            }

            SystemTitle server = SystemTitle.FromBytes(title.Span);
            if (Options.ExpectedServerSystemTitle is { } wanted && wanted != server)
            {
                throw new DlmsSecurityException(
                    SecurityFailure.SystemTitleMismatch, $"the server answered as {server}, expected {wanted}");
            }

            ServerSystemTitle = server;
        }

        ReadOnlyMemory<byte> userInformation = aare.UserInformation is { Length: > 0 } present
            ? present
            : throw new DlmsProtocolException("the accepting AARE carries no xDLMS InitiateResponse", 0);
        byte tag = userInformation.Span[0];
        bool ciphered = CipheredApdu.IsCiphered(tag);
        if (_cipher is not null && !ciphered)
        {
            throw new DlmsSecurityException(
                SecurityFailure.UnsupportedProtection, $"the AARE's user-information 0x{tag:X2} is not ciphered in a ciphered association");
        }

        if (_cipher is null && ciphered)
        {
            throw new DlmsProtocolException($"ciphered user-information 0x{tag:X2} in an unciphered association", 0);
        }

        byte[] plain = ciphered ? Open(userInformation.Span) : userInformation.ToArray();
        try
        {
            if (plain[0] == ConfirmedServiceError.TagByte)
            {
                var refused = new DlmsAssociationException(
                    aare.Result, aare.ServiceUserDiagnostic, aare.ServiceProviderDiagnostic, ConfirmedServiceError.Decode(plain));
                ClientLog.AssociationRefused(_logger, refused.Message);
                throw refused;
            }

            return InitiateResponse.Decode(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>HLS-GMAC passes 3 and 4 (Green Book, HLS authentication mechanism 5).</summary>
    private async Task AuthenticateAsync(byte[] challengeToServer, byte[] challengeToClient, CancellationToken cancellationToken)
    {
        // f(StoC) is computed with the IC of the APDU that carries it; servers must accept that (docs/dlms-wire.md section 3).
        uint ic = NextOutgoingCounter();
        byte[] response = HlsGmac.ComputeResponse(_cipher!, Options.ClientSystemTitle!.Value, ic, challengeToClient);
        InvokeIdAndPriority invoke = NextInvoke();
        var method = new CosemMethodDescriptor(
            CosemClassIds.AssociationLn, WellKnownObis.CurrentAssociation, CosemMethodIds.ReplyToHlsAuthentication);
        XdlmsApdu reply = await RequestAsync(new ActionRequestNormal(invoke, method, DlmsValue.OctetString(response)), cancellationToken, ic)
            .ConfigureAwait(false);
        ClientLog.HlsPass3Sent(_logger, ic);

        if (reply is not ActionResponseNormal normal)
        {
            throw Unexpected(reply, "action-response-normal to HLS pass 3");
        }

        CheckInvoke(invoke, normal.InvokeIdAndPriority);
        if (normal.Response.Result != ActionResult.Success)
        {
            throw new DlmsSecurityException(
                SecurityFailure.HlsAuthenticationFailed, $"the server refused HLS pass 3: action-result {normal.Response.Result}");
        }

        if (normal.Response.ReturnParameters?.Data is not DlmsOctetString serverResponse)
        {
            throw new DlmsSecurityException(SecurityFailure.HlsAuthenticationFailed, "the server's pass 4 carries no f(CtoS)");
        }

        uint serverIc = HlsGmac.Verify(_cipher!, serverResponse.Span, ServerSystemTitle!.Value, challengeToServer);
        ClientLog.HlsPass4Verified(_logger, serverIc);
    }

    private async Task ReleaseCoreAsync(CancellationToken cancellationToken)
    {
        uint? ic = null;
        string outcome;
        try
        {
            ic = _cipher is null ? null : NextOutgoingCounter();
            ReadOnlyMemory<byte>? cipheredInitiate = ic is null ? (ReadOnlyMemory<byte>?)null : InitiateRequestBytes(ic);
            byte[] rlrq = new RlrqApdu { Reason = ReleaseRequestReason.Normal, UserInformation = cipheredInitiate }.ToArray();
            ClientLog.ReleaseSent(_logger, rlrq.Length, ic);
            byte[] reply = await ExchangeAcseAsync(rlrq, "RLRQ", cancellationToken).ConfigureAwait(false);
            RlreApdu rlre = RlreApdu.Decode(reply);
            if (rlre.UserInformation is { Length: > 0 } userInformation && _cipher is not null
                && CipheredApdu.IsCiphered(userInformation.Span[0]))
            {
                CryptographicOperations.ZeroMemory(Open(userInformation.Span));
            }

            outcome = $"RLRE {rlre.Reason?.ToString() ?? "without reason"}";
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or DlmsProtocolException or DlmsSecurityException or TimeoutException)
        {
            // Releasing anyway: the connection is closed next, whatever the server did with the RLRQ.
            outcome = $"tolerated {ex.GetType().Name}: {ex.Message}";
        }

        ClientLog.Released(_logger, outcome);
    }

    /// <summary>A plain confirmedServiceError in a rejecting AARE's user-information, if that is what it carries.</summary>
    private static ConfirmedServiceError? PlainInitiateError(ReadOnlyMemory<byte>? userInformation)
    {
        if (userInformation is not { Length: > 0 } bytes || bytes.Span[0] != ConfirmedServiceError.TagByte)
        {
            return null;
        }

        try
        {
            return ConfirmedServiceError.Decode(bytes.Span);
        }
        catch (DlmsProtocolException)
        {
            return null;
        }
    }

    private static string DescribeDiagnostic(AareApdu aare) =>
        aare.ServiceUserDiagnostic is { } user ? $"acse-service-user {user}"
        : aare.ServiceProviderDiagnostic is { } provider ? $"acse-service-provider {provider}"
        : "none";
}

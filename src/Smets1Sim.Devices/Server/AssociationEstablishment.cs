using Microsoft.Extensions.Logging;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>Establishment of an association (Green Book 9.4: AARQ/AARE, HLS-GMAC passes 1 and 2).</summary>
internal static class AssociationEstablishment
{
    /// <summary>glo-initiateRequest (docs/dlms-wire.md section 3).</summary>
    private const byte GlobalInitiateRequest = 0x21;

    /// <summary>The application context an association uses.</summary>
    public static ApplicationContextName ContextOf(AssociationSettings settings)
        => settings.Ciphered ? ApplicationContextName.LogicalNameWithCiphering : ApplicationContextName.LogicalName;

    /// <summary>Answers an AARQ with an accepting AARE and returns the new association.</summary>
    /// <exception cref="AssociationRejectedException">The AARQ is refused.</exception>
    /// <exception cref="DlmsProtocolException">The AARQ or its InitiateRequest is malformed.</exception>
    /// <exception cref="DlmsSecurityException">The ciphered InitiateRequest failed authentication or replayed an IC.</exception>
    /// <exception cref="ConnectionDropRequestedException">A fault asked to drop the connection.</exception>
    public static (byte[] Aare, ServerAssociation Association) Establish(
        LogicalDevice device, ushort clientSap, ReadOnlySpan<byte> apdu, TimeProvider time, ILogger logger)
    {
        AarqApdu aarq = AarqApdu.Decode(apdu);
        if (!device.Associations.TryGetValue(clientSap, out AssociationSettings? settings))
        {
            throw new AssociationRejectedException(aarq.ApplicationContextName, AcseServiceUserDiagnostic.NoReasonGiven, "no association for this client SAP");
        }

        ApplicationContextName context = ContextOf(settings);
        if (aarq.ApplicationContextName != context)
        {
            throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.ApplicationContextNameNotSupported, "wrong application context");
        }

        AuthenticationMechanism requested = aarq.MechanismName ?? AuthenticationMechanism.None;
        if (requested != settings.Mechanism)
        {
            throw new AssociationRejectedException(context, settings.Mechanism == AuthenticationMechanism.None || requested != AuthenticationMechanism.None
                ? AcseServiceUserDiagnostic.AuthenticationMechanismNameNotRecognised
                : AcseServiceUserDiagnostic.AuthenticationMechanismNameRequired, "wrong authentication mechanism");
        }

        byte[] clientChallenge = [];
        switch (settings.Mechanism)
        {
            case AuthenticationMechanism.None:
                break;
            case AuthenticationMechanism.Lls:
                if (aarq.CallingAuthenticationValue is not { } password || settings.LlsSecret is not { } secret
                    || !password.Span.SequenceEqual(secret.Span))
                {
                    throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.AuthenticationFailure, "wrong LLS password");
                }

                break;
            case AuthenticationMechanism.HlsGmac:
                if (aarq.CallingAuthenticationValue is not { Length: >= HlsGmac.MinChallengeLength and <= HlsGmac.MaxChallengeLength } ctos)
                {
                    throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.AuthenticationFailure, "CtoS missing or of a wrong length");
                }

                clientChallenge = ctos.ToArray();
                break;
            default:
                throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.AuthenticationMechanismNameNotRecognised, "unsupported mechanism");
        }

        SystemTitle? clientTitle = null;
        if (settings.Ciphered)
        {
            if (aarq.CallingApTitle is not { Length: SystemTitle.Length } title)
            {
                throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.CallingApTitleNotRecognized, "calling-AP-title missing or not 8 bytes");
            }

            clientTitle = SystemTitle.FromBytes(title.Span);
        }

        if (aarq.UserInformation is not { Length: > 0 } userInformation)
        {
            throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.NoReasonGiven, "no InitiateRequest");
        }

        InitiateRequest initiate;
        CipheredApduKind replyKind = CipheredApduKind.ServiceSpecificGlobal;
        SecurityControl requestControl = default;
        if (settings.Ciphered)
        {
            var envelope = CipheredApdu.Decode(userInformation.Span);
            if (envelope.IsDedicated || envelope.Tag is not (GlobalInitiateRequest or CipheredTags.GeneralGlobalCiphering))
            {
                throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.NoReasonGiven, "user-information is not a glo-initiateRequest");
            }

            initiate = OpenInitiateRequest(device, settings, envelope, clientTitle!.Value, logger, out requestControl);
            replyKind = envelope.Kind;
        }
        else
        {
            initiate = InitiateRequest.Decode(userInformation.Span);
        }

        InitiateError? initiateError = initiate.ProposedDlmsVersion < 6 ? InitiateError.DlmsVersionTooLow
            : (initiate.ProposedConformance & settings.Conformance) == Conformance.None ? InitiateError.IncompatibleConformance
            : initiate.ClientMaxReceivePduSize is > 0 and < 64 ? InitiateError.PduSizeTooShort
            : null;
        if (initiateError is InitiateError error)
        {
            throw new AssociationRejectedException(context, AcseServiceUserDiagnostic.NoReasonGiven, $"InitiateRequest refused: {error}", error);
        }

        if (device.Faults.ShouldDrop(FaultPoint.AfterAarq))
        {
            throw new ConnectionDropRequestedException(FaultPoint.AfterAarq);
        }

        bool hls = settings.Mechanism == AuthenticationMechanism.HlsGmac;
        var association = new ServerAssociation(device, settings, time, logger)
        {
            ClientTitle = clientTitle,
            ClientChallenge = clientChallenge,
            ServerChallenge = hls ? HlsGmac.NewChallenge(16) : [],
            Negotiated = initiate.ProposedConformance & settings.Conformance,
            // 0 means "no limit" in the InitiateRequest; a DLMS APDU length fits in 16 bits.
            ClientMaxReceivePduSize = initiate.ClientMaxReceivePduSize == 0 ? ushort.MaxValue : initiate.ClientMaxReceivePduSize,
            Status = hls ? AssociationStatus.Pending : AssociationStatus.Associated,
        };
        if (initiate.DedicatedKey is { Length: Suite0Cipher.KeyLength } dedicatedKey)
        {
            association.Ciphering.UseDedicatedKey(dedicatedKey.Span);
        }

        byte[] initiateResponse = new InitiateResponse
        {
            NegotiatedConformance = association.Negotiated,
            ServerMaxReceivePduSize = settings.ServerMaxReceivePduSize,
        }.ToArray();
        if (settings.Ciphered)
        {
            initiateResponse = association.Ciphering.Seal(initiateResponse, replyKind, requestControl);
            device.Persist();
        }

        byte[] aare = new AareApdu
        {
            ApplicationContextName = context,
            Result = AssociationResult.Accepted,
            ServiceUserDiagnostic = hls ? AcseServiceUserDiagnostic.AuthenticationRequired : AcseServiceUserDiagnostic.Null,
            RespondingApTitle = settings.Ciphered ? (ReadOnlyMemory<byte>?)device.Identity.SystemTitle.ToArray() : null,
            ResponderAcseRequirements = hls,
            MechanismName = hls ? AuthenticationMechanism.HlsGmac : null,
            RespondingAuthenticationValue = hls ? (ReadOnlyMemory<byte>?)association.ServerChallenge : null,
            UserInformation = (ReadOnlyMemory<byte>?)initiateResponse,
        }.ToArray();
        return (aare, association);
    }

    /// <summary>
    /// Opens the ciphered InitiateRequest of an AARQ, under the keys accepted by key_transfer when there are any.
    /// <para>
    /// Keys accepted by key_transfer take effect at the next association (docs/dlms-wire.md section 3), but only
    /// once the caller has proven it holds them: anyone can open a connection and send an AARQ, and activation is a
    /// durable write and retires the old keys. The proof chosen is the AARQ's own ciphered InitiateRequest: its GCM
    /// tag verifies only under the pending EK and AK (the AK is in the AAD), which is the same knowledge pass 3
    /// would prove. Waiting for pass 3 would add only freshness, and a replayed AARQ gains nothing: one made under
    /// the new keys by their holder has already activated them the first time it arrived. An AARQ that does not
    /// decipher under the pending keys is refused and changes nothing, so the old keys stop working from the
    /// moment key_transfer succeeded, as before.
    /// </para>
    /// </summary>
    private static InitiateRequest OpenInitiateRequest(
        LogicalDevice device, AssociationSettings settings, CipheredApdu envelope, SystemTitle clientTitle, ILogger logger, out SecurityControl requestControl)
    {
        byte[] plain;
        uint ic;
        bool pending = device.Security.Pending is not null;
        if (pending)
        {
            using var pendingCipher = new Suite0Cipher(device.Security.Pending!.Encryption, device.Security.Pending.Authentication);
            plain = envelope.Open(pendingCipher, clientTitle, out requestControl, out ic);
        }
        else
        {
            plain = envelope.Open(device.Security.Cipher, clientTitle, out requestControl, out ic);
        }

        if (!AssociationCiphering.MeetsPolicy(device.Security.Policy, requestControl))
        {
            throw new AssociationRejectedException(ContextOf(settings), AcseServiceUserDiagnostic.AuthenticationFailure, "the InitiateRequest's protection is below the security policy");
        }

        InitiateRequest initiate = InitiateRequest.Decode(plain);
        if (pending)
        {
            device.ActivatePendingKeys();
            ServerLog.PendingKeysActivated(logger, device.Identity.Id, settings.ClientSap);
        }

        // After activation: counters belong to a key, and the new keys' counters start afresh.
        device.Security.AcceptIncoming(settings.ClientSap, ic);
        return initiate;
    }
}

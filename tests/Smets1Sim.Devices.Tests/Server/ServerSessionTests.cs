using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Server;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.Server;

[TestClass]
public sealed class ServerSessionTests : ServerTestBase
{
    private const string NewEk = "00112233445566778899AABBCCDDEEFF";
    private const string WrongKek = "0F0E0D0C0B0A09080706050403020100";

    private static CosemAttributeDescriptor DataValue => new(1, TestDevice.DataObis, 2);

    private static CosemAttributeDescriptor InvocationCounterValue => new(1, TestDevice.InvocationCounterObis, 2);

    private static ActionRequestNormal KeyTransfer(string newKey, string kek = TestDevice.Kek, KeyId id = KeyId.GlobalUnicastEncryption)
        => new(ScriptedPeer.Invoke, new CosemMethodDescriptor(64, TestDevice.SecuritySetupObis, 2),
            TestDevice.KeyTransferParameters((id, KeyWrap.Wrap(Convert.FromHexString(kek), Convert.FromHexString(newKey)))));

    [TestMethod]
    public void PublicClient_ReadsInvocationCounter_HighestAcceptedFromManagement()
    {
        (LogicalDevice device, DlmsServerSession session) = Start();
        using var pub = new ScriptedPeer(session, 16, 2);
        Assert.AreEqual(AssociationResult.Accepted, pub.AssociatePublic().Result);
        Assert.AreEqual(new DlmsDoubleLongUnsigned(0), ((GetResponseNormal)pub.RequestPlain(new GetRequestNormal(ScriptedPeer.Invoke, InvocationCounterValue))).Result.Data);

        using var mgmt = new ScriptedPeer(session, 1, 2) { NextIc = 41 };
        mgmt.AssociateHls();
        // AARQ used IC 41, pass 3 IC 42.
        Assert.AreEqual(new DlmsDoubleLongUnsigned(42), ((GetResponseNormal)pub.RequestPlain(new GetRequestNormal(ScriptedPeer.Invoke, InvocationCounterValue))).Result.Data);
        device.Dispose();
    }

    [TestMethod]
    public void Management_HlsAssociation_ThenGetAndSet()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(new DlmsVisibleString("hello"), ((GetResponseNormal)mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue))).Result.Data);
        Assert.AreEqual(DataAccessResult.Success, ((SetResponseNormal)mgmt.Request(new SetRequestNormal(ScriptedPeer.Invoke, DataValue, new DlmsVisibleString("bye")))).Result);
        Assert.AreEqual(DataAccessResult.TypeUnmatched, ((SetResponseNormal)mgmt.Request(new SetRequestNormal(ScriptedPeer.Invoke, DataValue, new DlmsUnsigned(1)))).Result);
        Assert.AreEqual(new DlmsVisibleString("bye"), ((GetResponseNormal)mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue))).Result.Data);
    }

    [TestMethod]
    public void Management_GeneralGloRequest_AnsweredInGeneralGlo()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2) { Kind = CipheredApduKind.GeneralGlobal };
        mgmt.AssociateHls();
        byte[] reply = mgmt.Send(mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray()))!;
        Assert.AreEqual(0xDB, reply[0]);
        Assert.AreEqual(CipheredApduKind.GeneralGlobal, CipheredApdu.Decode(reply).Kind);
    }

    [TestMethod]
    public void Management_SeparateHigherIcInsideFStoC_Accepted()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        byte[] ctos = HlsGmac.NewChallenge();
        AareApdu aare = mgmt.SendHlsAarq(ctos);
        using Suite0Cipher cipher = ScriptedPeer.NewCipher(TestDevice.Ek, TestDevice.Ak);
        byte[] fStoC = HlsGmac.ComputeResponse(cipher, ScriptedPeer.ClientTitle, 100, aare.RespondingAuthenticationValue!.Value.Span);
        var pass3 = new ActionRequestNormal(ScriptedPeer.Invoke, new CosemMethodDescriptor(15, WellKnownObis.CurrentAssociation, 1), DlmsValue.OctetString(fStoC));
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(pass3)).Response.Result);
        // The next request must go above 100.
        mgmt.NextIc = 101;
        Assert.IsInstanceOfType<GetResponseNormal>(mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
    }

    /// <summary>
    /// The shape a widely used client library sends by default (docs/dlms-wire.md section 3): AARQ with IC 1, then
    /// pass 3 as `CB 31 30 00000003 ..` deciphering to `C3 01 C1 00 0F 0000280000FF 01 01 09 11 10 00000002 tag`:
    /// f(StoC) under IC 2, carried under IC 3. It must associate, in both families.
    /// </summary>
    [TestMethod]
    [DataRow(CipheredApduKind.ServiceSpecificGlobal, "CB3130" + "00000003")]
    [DataRow(CipheredApduKind.GeneralGlobal, "DB084D4D4D0000000001" + "3130" + "00000003")]
    public void Management_FStoCIcBelowCarrierIc_Associates(CipheredApduKind kind, string expectedPrefix)
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2) { Kind = kind };
        byte[] ctos = HlsGmac.NewChallenge();
        AareApdu aare = mgmt.SendHlsAarq(ctos);
        Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationRequired, aare.ServiceUserDiagnostic);
        using Suite0Cipher cipher = ScriptedPeer.NewCipher(TestDevice.Ek, TestDevice.Ak);
        byte[] fStoC = HlsGmac.ComputeResponse(cipher, ScriptedPeer.ClientTitle, 2, aare.RespondingAuthenticationValue!.Value.Span);
        byte[] plain = new ActionRequestNormal(ScriptedPeer.Invoke, new CosemMethodDescriptor(15, WellKnownObis.CurrentAssociation, 1), DlmsValue.OctetString(fStoC)).ToArray();
        StringAssert.StartsWith(Convert.ToHexString(plain), "C301C1000F0000280000FF0101091110" + "00000002");

        mgmt.NextIc = 3;
        byte[] pass3 = mgmt.Seal(plain);
        StringAssert.StartsWith(Convert.ToHexString(pass3), expectedPrefix);
        var response = (ActionResponseNormal)XdlmsApduCodec.Decode(mgmt.Open(mgmt.Send(pass3)!));
        Assert.AreEqual(ActionResult.Success, response.Response.Result, "not C7 01 C1 03 00");
        HlsGmac.Verify(cipher, ((DlmsOctetString)response.Response.ReturnParameters!.Data!).Span, mgmt.ServerTitle, ctos);
        Assert.IsInstanceOfType<GetResponseNormal>(mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
    }

    [TestMethod]
    [DataRow(1u, "the AARQ's IC")]
    [DataRow(0u, "below every IC accepted")]
    public void Management_FStoCIcAlreadyUsed_Refused(uint fStoCIc, string what)
    {
        Log.Expect(106);
        (LogicalDevice device, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        AareApdu aare = mgmt.SendHlsAarq(HlsGmac.NewChallenge());
        using Suite0Cipher cipher = ScriptedPeer.NewCipher(TestDevice.Ek, TestDevice.Ak);
        byte[] fStoC = HlsGmac.ComputeResponse(cipher, ScriptedPeer.ClientTitle, fStoCIc, aare.RespondingAuthenticationValue!.Value.Span);
        mgmt.NextIc = 3;
        var pass3 = new ActionRequestNormal(ScriptedPeer.Invoke, new CosemMethodDescriptor(15, WellKnownObis.CurrentAssociation, 1), DlmsValue.OctetString(fStoC));
        Assert.AreEqual(ActionResult.ReadWriteDenied, ((ActionResponseNormal)mgmt.Request(pass3)).Response.Result, what);
        Assert.AreEqual(3u, device.Security.HighestAccepted(1));
        StringAssert.Contains(Log.WithEventId(106).Single().Message, "InvocationCounterReused");
    }

    [TestMethod]
    public void Management_WrongKeys_AareRejectedWithAuthenticationFailure()
    {
        Log.Expect(110);
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2, ek: NewEk);
        AareApdu aare = mgmt.SendHlsAarq(HlsGmac.NewChallenge());
        Assert.AreEqual(AssociationResult.RejectedPermanent, aare.Result);
        Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationFailure, aare.ServiceUserDiagnostic);
    }

    [TestMethod]
    public void Management_WrongPass3_Refused_AndAssociationUnusable()
    {
        Log.Expect(106);
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        AareApdu aare = mgmt.SendHlsAarq(HlsGmac.NewChallenge());
        var bogus = new byte[HlsGmac.ResponseLength];
        bogus[0] = 0x10;
        var pass3 = new ActionRequestNormal(ScriptedPeer.Invoke, new CosemMethodDescriptor(15, WellKnownObis.CurrentAssociation, 1), DlmsValue.OctetString(bogus));
        Assert.AreEqual(ActionResult.ReadWriteDenied, ((ActionResponseNormal)mgmt.Request(pass3)).Response.Result);
        Assert.AreEqual(AssociationResult.Accepted, aare.Result);
        Assert.IsInstanceOfType<ExceptionResponse>(mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
        // The refusal is logged with its reason, once, and never with a key.
        StringAssert.Contains(Log.WithEventId(106).Single().Message, "TagMismatch");
        Assert.IsFalse(Log.Entries.Any(e => e.Message.Contains(TestDevice.Ek, StringComparison.OrdinalIgnoreCase) || e.Message.Contains(TestDevice.Ak, StringComparison.OrdinalIgnoreCase)));
    }

    [TestMethod]
    public void Management_RequestBeforePass3_Refused()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.SendHlsAarq(HlsGmac.NewChallenge());
        var reply = (ExceptionResponse)XdlmsApduCodec.Decode(mgmt.Send(mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray()))!);
        Assert.AreEqual(ExceptionServiceError.OperationNotPossible, reply.ServiceError);
    }

    [TestMethod]
    public void Management_ReplayedApdu_RejectedWithExpectedIc_AndAssociationAborted()
    {
        Log.Expect(103);
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        byte[] request = mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray());
        Assert.IsNotNull(mgmt.Send(request));
        var replay = (ExceptionResponse)XdlmsApduCodec.Decode(mgmt.Send(request)!);
        Assert.AreEqual(ExceptionServiceError.InvocationCounterError, replay.ServiceError);
        uint? expectedIc = mgmt.NextIc;
        Assert.AreEqual(expectedIc, replay.ExpectedInvocationCounter);
        // Aborted: even a fresh, valid request is refused until a new association.
        Assert.IsInstanceOfType<ExceptionResponse>(mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
    }

    [TestMethod]
    [DataRow(6, "IC")]
    [DataRow(9, "ciphertext")]
    [DataRow(-1, "tag")]
    public void Management_TamperedApdu_DecipheringError(int offset, string what)
    {
        Log.Expect(103);
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        byte[] request = mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray());
        request[offset < 0 ? request.Length + offset : offset] ^= 0x01;
        var reply = (ExceptionResponse)XdlmsApduCodec.Decode(mgmt.Send(request)!);
        Assert.AreEqual(ExceptionServiceError.DecipheringError, reply.ServiceError, what);
    }

    [TestMethod]
    public void Management_PlainRequest_RefusedByPolicy()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.IsInstanceOfType<ExceptionResponse>(mgmt.RequestPlain(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
    }

    [TestMethod]
    public void Access_UnknownObject_WrongClass_NoWriteRight()
    {
        (_, DlmsServerSession session) = Start();
        using var pub = new ScriptedPeer(session, 16, 2);
        pub.AssociatePublic();
        GetDataResult Get(CosemAttributeDescriptor d) => ((GetResponseNormal)pub.RequestPlain(new GetRequestNormal(ScriptedPeer.Invoke, d))).Result;
        Assert.AreEqual(DataAccessResult.ObjectUndefined, Get(new CosemAttributeDescriptor(1, new ObisCode(1, 2, 3, 4, 5, 6), 2)).AccessResult);
        Assert.AreEqual(DataAccessResult.ObjectClassInconsistent, Get(new CosemAttributeDescriptor(3, TestDevice.DataObis, 2)).AccessResult);
        Assert.AreEqual(DataAccessResult.ObjectUndefined, Get(new CosemAttributeDescriptor(64, TestDevice.SecuritySetupObis, 2)).AccessResult, "invisible to the public client");
        Assert.AreEqual(DataAccessResult.ReadWriteDenied,
            ((SetResponseNormal)pub.RequestPlain(new SetRequestNormal(ScriptedPeer.Invoke, DataValue, new DlmsVisibleString("x")))).Result);
    }

    [TestMethod]
    public void Get_LargeValue_UsesBlockTransfer()
    {
        byte[] big = new byte[3000];
        new Random(3).NextBytes(big);
        (_, DlmsServerSession session) = Start(TestDevice.Create(dataValue: DlmsValue.OctetString(big)));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        var assembler = new BlockAssembler(1 << 20);
        XdlmsApdu reply = mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue));
        int blocks = 0;
        while (true)
        {
            var block = (GetResponseWithDataBlock)reply;
            blocks++;
            if (assembler.Add(block))
            {
                break;
            }

            reply = mgmt.Request(new GetRequestNext(ScriptedPeer.Invoke, block.BlockNumber));
        }

        Assert.IsGreaterThan(5, blocks);
        Assert.AreEqual(DlmsValue.OctetString(big), assembler.DecodeValue());
    }

    [TestMethod]
    [DataRow(CipheredApduKind.ServiceSpecificGlobal)]
    [DataRow(CipheredApduKind.GeneralGlobal)]
    public void Get_ClientMaxPdu64_EveryCipheredReplyFits(CipheredApduKind kind)
    {
        byte[] big = new byte[600];
        new Random(5).NextBytes(big);
        (_, DlmsServerSession session) = Start(TestDevice.Create(dataValue: DlmsValue.OctetString(big)));
        using var mgmt = new ScriptedPeer(session, 1, 2) { Kind = kind, MaxReceivePdu = 64 };
        mgmt.AssociateHls();
        var assembler = new BlockAssembler(1 << 20);
        byte[] reply = mgmt.Send(mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray()))!;
        while (true)
        {
            Assert.IsLessThanOrEqualTo(64, reply.Length, $"a {reply.Length}-byte reply to a client that accepts 64");
            var block = (GetResponseWithDataBlock)XdlmsApduCodec.Decode(mgmt.Open(reply));
            if (assembler.Add(block))
            {
                break;
            }

            reply = mgmt.Send(mgmt.Seal(new GetRequestNext(ScriptedPeer.Invoke, block.BlockNumber).ToArray()))!;
        }

        Assert.AreEqual(DlmsValue.OctetString(big), assembler.DecodeValue());
    }

    [TestMethod]
    public void Set_ReplyLongerThanClientMaxPdu_PduTooLong()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2) { MaxReceivePdu = 64 };
        mgmt.AssociateHls();
        // 40 results (set-response-with-list: C5 05 invoke 28 + 40 bytes) cannot fit in 64 bytes once ciphered.
        var list = new SetRequestWithList(ScriptedPeer.Invoke,
            [.. Enumerable.Repeat(new CosemAttributeDescriptorWithSelection(DataValue, null), 40)],
            [.. Enumerable.Repeat<DlmsValue>(new DlmsVisibleString("x"), 40)]);
        byte[] reply = mgmt.Send(mgmt.Seal(list.ToArray()))!;
        Assert.AreEqual(ExceptionServiceError.PduTooLong, ((ExceptionResponse)XdlmsApduCodec.Decode(reply)).ServiceError);
    }

    [TestMethod]
    public void Set_BlockPayloadNestedTooDeeply_TypeUnmatched()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        // 40 nested arrays of one element around a null-data: above the decoder's depth limit, block numbers right.
        byte[] deep = [.. Enumerable.Repeat<byte[]>([0x01, 0x01], 40).SelectMany(b => b), 0x00];
        var set = new SetRequestWithFirstDatablock(ScriptedPeer.Invoke, DataValue, new DataBlock(true, 1, deep));
        var reply = (SetResponseLastDatablock)mgmt.Request(set);
        Assert.AreEqual(DataAccessResult.TypeUnmatched, reply.Result);
    }

    [TestMethod]
    public void Set_BlocksAboveAssemblyLimit_LongSetAborted()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.IsInstanceOfType<SetResponseDatablock>(mgmt.Request(new SetRequestWithFirstDatablock(ScriptedPeer.Invoke, DataValue, new DataBlock(false, 1, new byte[40_000]))));
        var reply = (SetResponseLastDatablock)mgmt.Request(new SetRequestWithDatablock(ScriptedPeer.Invoke, new DataBlock(true, 2, new byte[30_000])));
        Assert.AreEqual(DataAccessResult.LongSetAborted, reply.Result);
    }

    [TestMethod]
    public void Set_BlockOutOfSequence_DataBlockNumberInvalid()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.IsInstanceOfType<SetResponseDatablock>(mgmt.Request(new SetRequestWithFirstDatablock(ScriptedPeer.Invoke, DataValue, new DataBlock(false, 1, new byte[] { 0x0A }))));
        var reply = (SetResponseLastDatablock)mgmt.Request(new SetRequestWithDatablock(ScriptedPeer.Invoke, new DataBlock(true, 3, new byte[] { 0x01, 0x41 })));
        Assert.AreEqual(DataAccessResult.DataBlockNumberInvalid, reply.Result);
    }

    [TestMethod]
    public void Aare_FreshDevice_FirstOutgoingIcIsOne()
    {
        (_, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        AareApdu aare = mgmt.SendHlsAarq(HlsGmac.NewChallenge());
        StringAssert.StartsWith(Convert.ToHexString(aare.UserInformation!.Value.Span), "281F30" + "00000001");
    }

    [TestMethod]
    [DataRow("00000000000000000000000000000000", KeyId.GlobalUnicastEncryption, "an all-zero EK")]
    [DataRow("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF", KeyId.Authentication, "an all-FF AK")]
    [DataRow(TestDevice.Ak, KeyId.GlobalUnicastEncryption, "an EK equal to the AK")]
    [DataRow(TestDevice.Ek, KeyId.Authentication, "an AK equal to the EK")]
    public void KeyTransfer_WeakOrDuplicatedKey_RefusedWithEventAndKeysUnchanged(string newKey, KeyId id, string what)
    {
        Log.Expect(109);
        (LogicalDevice device, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.ScopeOfAccessViolated, ((ActionResponseNormal)mgmt.Request(KeyTransfer(newKey, id: id))).Response.Result, what);
        Assert.IsNull(device.Security.Pending);
        Assert.AreEqual(0, device.Security.KeyGeneration);
        Assert.AreEqual((ushort)DeviceEvent.WeakKeyRefused, TestDevice.LastEventCode(device));
    }

    [TestMethod]
    public void KeyTransfer_WeakKeyWhenProfileAllows_Accepted()
    {
        (LogicalDevice device, DlmsServerSession session) = Start(TestDevice.Create(faults: new FaultPlan(acceptWeakKeys: true)));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(TestDevice.Ak))).Response.Result);
        Assert.AreEqual(1, device.Security.KeyGeneration);
    }

    [TestMethod]
    public void KeyTransfer_NewEk_ResponseUsesOldKeys_NewKeysFromNextAssociation()
    {
        Log.Expect(110);
        (LogicalDevice device, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        // Same association keeps the old keys.
        Assert.IsInstanceOfType<GetResponseNormal>(mgmt.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));

        using var old = new ScriptedPeer(session, 1, 2) { NextIc = 1000 };
        Assert.AreEqual(AssociationResult.RejectedPermanent, old.SendHlsAarq(HlsGmac.NewChallenge()).Result);

        // Counters belong to a key: the client may start again at 0 under the new key.
        using var fresh = new ScriptedPeer(session, 1, 2, ek: NewEk) { NextIc = 0 };
        fresh.AssociateHls();
        Assert.IsInstanceOfType<GetResponseNormal>(fresh.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
        Assert.AreEqual(1, device.Security.KeyGeneration);
    }

    [TestMethod]
    [DataRow("old keys", TestDevice.Ek, TestDevice.Ak)]
    [DataRow("guessed keys", "0F0E0D0C0B0A09080706050403020100", "1F1E1D1C1B1A19181716151413121110")]
    public void KeyTransfer_AarqNotUnderPendingKeys_RefusedAndNothingActivated(string who, string ek, string ak)
    {
        Log.Expect(110);
        var store = new RecordingPersistence();
        (LogicalDevice device, DlmsServerSession session) = Start(TestDevice.Create(persistence: store));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        store.Saved.Clear();

        // Anyone can open a connection and send an AARQ: one that does not decipher under the pending keys
        // must not put them in force (nor write anything that says so).
        using var attacker = new ScriptedPeer(session, 1, 2, ek, ak) { NextIc = 5000 };
        Assert.AreEqual(AcseServiceUserDiagnostic.AuthenticationFailure, attacker.SendHlsAarq(HlsGmac.NewChallenge()).ServiceUserDiagnostic, who);
        Assert.IsNotNull(device.Security.Pending, who);
        Assert.IsTrue(store.Saved.All(s => s.PendingEk == NewEk), "no snapshot without the pending keys");
        Assert.AreEqual((ushort)DeviceEvent.AuthenticationFailed, TestDevice.LastEventCode(device));
        Assert.IsEmpty(Log.WithEventId(108));
    }

    [TestMethod]
    [DataRow(CipheredApduKind.ServiceSpecificGlobal)]
    [DataRow(CipheredApduKind.GeneralGlobal)]
    public void KeyTransfer_ReleaseThenAssociateWithNewKeys_ActivatesAndWorks(CipheredApduKind kind)
    {
        var store = new RecordingPersistence();
        (LogicalDevice device, DlmsServerSession session) = Start(TestDevice.Create(persistence: store));
        using var mgmt = new ScriptedPeer(session, 1, 2) { Kind = kind };
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        Assert.AreEqual(0x63, mgmt.Send(new RlrqApdu { Reason = ReleaseRequestReason.Normal }.ToArray())![0]);
        Assert.IsNotNull(device.Security.Pending, "a release alone activates nothing");

        using var next = new ScriptedPeer(session, 1, 2, ek: NewEk) { Kind = kind, NextIc = 1 };
        next.AssociateHls();
        Assert.IsInstanceOfType<GetResponseNormal>(next.Request(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
        Assert.IsNull(device.Security.Pending);
        Assert.AreEqual(NewEk, device.Security.Keys.Encryption.ExportHex());
        Assert.IsTrue(store.Saved.Any(s => s.PendingEk is null && s.Generation == 1), "activation is stored");
        Assert.HasCount(1, Log.WithEventId(108));
    }

    [TestMethod]
    public void KeyTransfer_ImmediateActivation_NextRequestNeedsNewKeys()
    {
        Log.Expect(103);
        (_, DlmsServerSession session) = Start(TestDevice.Create(activation: KeyActivation.Immediate));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        var refused = (ExceptionResponse)XdlmsApduCodec.Decode(mgmt.Send(mgmt.Seal(new GetRequestNormal(ScriptedPeer.Invoke, DataValue).ToArray()))!);
        Assert.AreEqual(ExceptionServiceError.DecipheringError, refused.ServiceError);
    }

    [TestMethod]
    [DataRow(WrongKek, KeyId.GlobalUnicastEncryption, ActionResult.OtherReason)]
    [DataRow(TestDevice.Kek, (KeyId)7, ActionResult.TypeUnmatched)]
    public void KeyTransfer_Refused_KeysUnchanged(string kek, KeyId id, ActionResult expected)
    {
        (LogicalDevice device, DlmsServerSession session) = Start();
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(expected, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk, kek, id))).Response.Result);
        Assert.IsNull(device.Security.Pending);
        Assert.AreEqual(0, device.Security.KeyGeneration);
        using var again = new ScriptedPeer(session, 1, 2) { NextIc = 500 };
        again.AssociateHls();
    }

    [TestMethod]
    public void KeyTransfer_NewKeysStoredBeforeSuccess()
    {
        var store = new RecordingPersistence();
        (_, DlmsServerSession session) = Start(TestDevice.Create(persistence: store));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        store.Saved.Clear();
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        Assert.IsTrue(store.Saved.Any(s => s.PendingEk == NewEk && s.Generation == 1));
    }

    [TestMethod]
    [DataRow(FaultPoint.AfterKeyTransferReceived, false)]
    [DataRow(FaultPoint.AfterKeyTransferPersisted, true)]
    public void Fault_DropDuringKeyTransfer_DeviceKeepsTheKeyItStored(FaultPoint point, bool newKeyInForce)
    {
        Log.Expect(105);
        (LogicalDevice device, DlmsServerSession session) = Start(TestDevice.Create(faults: new FaultPlan(dropAt: point)));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.IsTrue(mgmt.SendRaw(mgmt.Seal(KeyTransfer(NewEk).ToArray())).Close);
        using var next = new ScriptedPeer(session, 1, 2, ek: newKeyInForce ? NewEk : TestDevice.Ek) { NextIc = newKeyInForce ? 0u : 100u };
        next.AssociateHls();
        Assert.AreEqual(newKeyInForce ? 1 : 0, device.Security.KeyGeneration);
    }

    [TestMethod]
    public void Fault_PowerLossBeforePersist_OldKeysRemain()
    {
        Log.Expect(105);
        var store = new RecordingPersistence();
        (_, DlmsServerSession session) = Start(TestDevice.Create(faults: new FaultPlan(powerLossBeforePersist: true), persistence: store));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.IsTrue(mgmt.SendRaw(mgmt.Seal(KeyTransfer(NewEk).ToArray())).Close);
        Assert.IsFalse(store.Saved.Any(s => s.PendingEk is not null));
        using var next = new ScriptedPeer(session, 1, 2) { NextIc = 100 };
        next.AssociateHls();
    }

    [TestMethod]
    public void Fault_RefuseKeyTransfer_TemporaryFailureOnce()
    {
        (_, DlmsServerSession session) = Start(TestDevice.Create(faults: new FaultPlan(refuseKeyTransfer: true)));
        using var mgmt = new ScriptedPeer(session, 1, 2);
        mgmt.AssociateHls();
        Assert.AreEqual(ActionResult.TemporaryFailure, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
        Assert.AreEqual(ActionResult.Success, ((ActionResponseNormal)mgmt.Request(KeyTransfer(NewEk))).Response.Result);
    }

    [TestMethod]
    public void Fault_DropAfterAarq_AndBeforeResponse_AndDelay()
    {
        Log.Expect(105);
        (_, DlmsServerSession session) = Start(TestDevice.Create(faults: new FaultPlan(dropAt: FaultPoint.AfterAarq)));
        using (var mgmt = new ScriptedPeer(session, 1, 2))
        {
            ServerReply dropped = mgmt.SendRaw(mgmt.BuildHlsAarq(HlsGmac.NewChallenge()));
            Assert.IsTrue(dropped.Close);
            Assert.IsNull(dropped.Frame);
        }

        (_, DlmsServerSession s2) = Start(TestDevice.Create(faults: new FaultPlan(dropAt: FaultPoint.BeforeResponse, responseDelay: TimeSpan.FromMilliseconds(250))));
        using var pub = new ScriptedPeer(s2, 16, 2);
        Assert.IsTrue(pub.SendRaw(new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, UserInformation = (ReadOnlyMemory<byte>?)ScriptedPeer.InitiateRequestBytes() }.ToArray()).Close);
        ServerReply delayed = pub.SendRaw(new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, UserInformation = (ReadOnlyMemory<byte>?)ScriptedPeer.InitiateRequestBytes() }.ToArray());
        Assert.AreEqual(TimeSpan.FromMilliseconds(250), delayed.Delay);
        Assert.IsNotNull(delayed.Frame);
    }

    [TestMethod]
    public void Release_AnsweredWithRlre_AndAssociationGone()
    {
        (_, DlmsServerSession session) = Start();
        using var pub = new ScriptedPeer(session, 16, 2);
        pub.AssociatePublic();
        Assert.AreEqual(1, session.AssociationCount);
        byte[] rlre = pub.Send(new RlrqApdu { Reason = ReleaseRequestReason.Normal }.ToArray())!;
        Assert.AreEqual("630380010 0".Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(rlre));
        Assert.AreEqual(0, session.AssociationCount);
        Assert.IsInstanceOfType<ExceptionResponse>(pub.RequestPlain(new GetRequestNormal(ScriptedPeer.Invoke, DataValue)));
    }

    [TestMethod]
    public void UnknownWPort_Silent_UnknownClientSap_Rejected()
    {
        (_, DlmsServerSession session) = Start();
        using var lost = new ScriptedPeer(session, 16, 9);
        Assert.IsNull(lost.SendRaw(ScriptedPeer.InitiateRequestBytes()).Frame);
        using var stranger = new ScriptedPeer(session, 77, 2);
        Assert.AreEqual(AssociationResult.RejectedPermanent, stranger.AssociatePublic().Result);
    }

    private sealed class RecordingPersistence : IDeviceStatePersistence
    {
        public List<(string? PendingEk, long Generation)> Saved { get; } = [];

        public void Save(DeviceSnapshot snapshot) => Saved.Add((snapshot.PendingKeys?.Encryption.ExportHex(), snapshot.KeyGeneration));
    }
}

using Smets1Sim.Cosem.Tests.Fakes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Classes;

[TestClass]
public sealed class AssociationLnObjectTests
{
    private static CosemObject CurrentAssociation() => TestCosem.Create(15, "0-0:40.0.0.255");

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static DlmsValue Read(int attributeId, FakeAssociationView association)
        => CurrentAssociation().Read(attributeId, TestCosem.Context(TestCosem.NewClock(), association));

    [TestMethod]
    public void Get_ObjectListOfOneDataObject_GoldenBytes()
    {
        var association = new FakeAssociationView
        {
            ObjectList = [new ObjectListEntry(1, 0, ObisCode.Parse("0-0:42.0.0.255"), new AccessRights([AttributeAccess.Read, AttributeAccess.ReadWrite], []))],
        };

        DlmsValue list = Read(2, association);

        // Blue Book 4.4.3 object_list, written by hand:
        byte[] expected = Hex(
            "01 01" +                    // array, 1 object_list_element
            "02 04" +                    //   structure, 4
            "12 0001" +                  //     class_id long-unsigned 1 (Data)
            "11 00" +                    //     version unsigned 0
            "09 06 00002A0000FF" +       //     logical_name 0-0:42.0.0.255
            "02 02" +                    //     access_rights structure, 2
            "01 02" +                    //       attribute_access array, 2
            "02 03 0F01 1601 00" +       //         {attribute_id 1, read-only, access_selectors null-data}
            "02 03 0F02 1603 00" +       //         {attribute_id 2, read-and-write, null-data}
            "01 00");                    //       method_access array, 0
        CollectionAssert.AreEqual(expected, list.ToArray());
    }

    [TestMethod]
    public void Get_ObjectListOfRegister_GoldenBytesWithMethodAccess()
    {
        var association = new FakeAssociationView
        {
            ObjectList = [new ObjectListEntry(3, 0, ObisCode.Parse("1-0:1.8.0.255"),
                new AccessRights([AttributeAccess.Read, AttributeAccess.Read, AttributeAccess.Read], [MethodAccess.Access]))],
        };

        DlmsValue list = Read(2, association);

        byte[] expected = Hex(
            "01 01 02 04 12 0003 11 00 09 06 0100010800FF" +
            "02 02" +
            "01 03 02 03 0F01 1601 00 02 03 0F02 1601 00 02 03 0F03 1601 00" +
            "01 01 02 02 0F01 1601");    // {method_id 1, access}
        CollectionAssert.AreEqual(expected, list.ToArray());
    }

    [TestMethod]
    public void Get_ObjectListRightsShorterThanClass_RestIsNoAccess()
    {
        var association = new FakeAssociationView
        {
            ObjectList = [new ObjectListEntry(1, 0, ObisCode.Parse("0-0:42.0.0.255"), new AccessRights([AttributeAccess.Read], []))],
        };

        DlmsValue list = Read(2, association);

        CollectionAssert.AreEqual(Hex("01 01 02 04 12 0001 11 00 09 06 00002A0000FF 02 02 01 02 02 03 0F01 1601 00 02 03 0F02 1600 00 01 00"), list.ToArray());
    }

    [TestMethod]
    public void Get_ObjectListEmpty_EmptyArray()
    {
        CollectionAssert.AreEqual(Hex("0100"), Read(2, new FakeAssociationView()).ToArray());
    }

    [TestMethod]
    public void Get_AssociatedPartnersId_ClientIntegerServerLongUnsigned()
    {
        DlmsValue partners = Read(3, new FakeAssociationView { ClientSap = 0x10, ServerSap = 0x01 });

        CollectionAssert.AreEqual(Hex("02 02 0F10 120001"), partners.ToArray());
    }

    [TestMethod]
    public void Get_ApplicationContextName_DlmsUaObjectIdentifier()
    {
        DlmsValue name = Read(4, new FakeAssociationView { ApplicationContextId = 3 });

        // {2, 16, 756, 5, 8, 1, 3}: LN referencing with ciphering.
        CollectionAssert.AreEqual(Hex("02 07 1102 1110 1202F4 1105 1108 1101 1103"), name.ToArray());
    }

    [TestMethod]
    public void Get_AuthenticationMechanismName_DlmsUaObjectIdentifier()
    {
        DlmsValue name = Read(6, new FakeAssociationView { MechanismId = 5 });

        CollectionAssert.AreEqual(Hex("02 07 1102 1110 1202F4 1105 1108 1102 1105"), name.ToArray());
    }

    [TestMethod]
    public void Get_XdlmsContextInfo_FromNegotiatedContext()
    {
        DlmsValue info = Read(5, new FakeAssociationView { XdlmsContext = (0x00181D, 0x04B0, 6) });

        // {conformance bit-string(24), max_receive_pdu_size, max_send_pdu_size, dlms_version, quality_of_service, cyphering_info}.
        CollectionAssert.AreEqual(Hex("02 06 04 18 00181D 12 04B0 12 04B0 11 06 0F 00 09 00"), info.ToArray());
    }

    [TestMethod]
    [DataRow((byte)0)]
    [DataRow((byte)1)]
    [DataRow((byte)2)]
    public void Get_AssociationStatus_Enum(byte status)
    {
        Assert.AreEqual(new DlmsEnum(status), Read(8, new FakeAssociationView { AssociationStatus = status }));
    }

    [TestMethod]
    public void Get_SecuritySetupReference_LogicalNameOrZeros()
    {
        Assert.AreEqual(ObisCode.Parse("0-0:43.0.0.255").ToOctetString(), Read(9, new FakeAssociationView { SecuritySetupReference = ObisCode.Parse("0-0:43.0.0.255") }));
        Assert.AreEqual(DlmsValue.OctetString(new byte[6]), Read(9, new FakeAssociationView()));
    }

    [TestMethod]
    public void Get_Secret_ReadWriteDenied()
    {
        GetResult result = CurrentAssociation().Get(7, null, TestCosem.Context(TestCosem.NewClock()));

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, result.Result);
        Assert.IsNull(result.Value);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(7)]
    [DataRow(8)]
    public void Set_AnyAttribute_ReadWriteDenied(int attributeId)
    {
        DataAccessResult result = CurrentAssociation().Set(attributeId, DlmsValue.OctetString("secret"u8), null, TestCosem.Context(TestCosem.NewClock()));

        Assert.AreEqual(DataAccessResult.ReadWriteDenied, result);
    }

    [TestMethod]
    public void Invoke_ReplyToHlsAuthentication_DelegatesToAssociation()
    {
        DlmsOctetString fCtoS = DlmsValue.OctetString(Hex("10 00000001 0102030405060708090A0B0C"));
        var association = new FakeAssociationView { HlsReply = ActionOutcome.Success(fCtoS) };
        DlmsOctetString fStoC = DlmsValue.OctetString(Hex("10 00000002 AABBCCDDEEFF001122334455"));

        ActionOutcome outcome = CurrentAssociation().Invoke(1, fStoC, TestCosem.Context(TestCosem.NewClock(), association));

        Assert.AreEqual(ActionOutcome.Success(fCtoS), outcome);
        Assert.HasCount(1, association.HlsCalls);
        Assert.AreEqual<DlmsValue?>(fStoC, association.HlsCalls[0]);
    }

    [TestMethod]
    public void Invoke_ReplyToHlsAuthenticationRefused_PropagatesFailure()
    {
        var association = new FakeAssociationView { HlsReply = ActionOutcome.Failure(ActionResult.OtherReason) };

        ActionOutcome outcome = CurrentAssociation().Invoke(1, DlmsValue.OctetString([1]), TestCosem.Context(TestCosem.NewClock(), association));

        Assert.AreEqual(ActionResult.OtherReason, outcome.Result);
        Assert.IsNull(outcome.ReturnData);
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    public void Invoke_OtherMethods_ReadWriteDeniedAndNoHls(int methodId)
    {
        var association = new FakeAssociationView();

        ActionOutcome outcome = CurrentAssociation().Invoke(methodId, DlmsValue.OctetString([1]), TestCosem.Context(TestCosem.NewClock(), association));

        Assert.AreEqual(ActionResult.ReadWriteDenied, outcome.Result);
        Assert.IsEmpty(association.HlsCalls);
    }
}

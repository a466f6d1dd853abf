using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

[TestClass]
public sealed class XdlmsGoldenTests
{
    public static IEnumerable<object[]> Names => XdlmsVectors.Names;

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void Encode_Vector_MatchesExpectedBytes(string name)
    {
        (string hex, XdlmsApdu apdu) = XdlmsVectors.ByName[name];
        Assert.AreEqual(Convert.ToHexString(XdlmsVectors.Hex(hex)), Convert.ToHexString(apdu.ToArray()));
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void Decode_Vector_GivesExpectedApdu(string name)
    {
        (string hex, XdlmsApdu expected) = XdlmsVectors.ByName[name];
        XdlmsApdu decoded = XdlmsApduCodec.Decode(XdlmsVectors.Hex(hex));
        Assert.AreEqual(expected.GetType(), decoded.GetType());
        Assert.AreEqual(expected, decoded);
        Assert.AreEqual(Convert.ToHexString(XdlmsVectors.Hex(hex)), Convert.ToHexString(decoded.ToArray()));
    }

    [TestMethod]
    public void Decode_KeyTransfer_ExposesMethodAndWrappedKey()
    {
        var request = (ActionRequestNormal)XdlmsApduCodec.Decode(XdlmsVectors.Hex(XdlmsVectors.ByName["ActionRequestNormal_KeyTransfer"].Hex));
        Assert.AreEqual(0x01, request.InvokeIdAndPriority.InvokeId);
        Assert.IsTrue(request.InvokeIdAndPriority.ServiceClassConfirmed);
        Assert.IsTrue(request.InvokeIdAndPriority.HighPriority);
        Assert.AreEqual((ushort)64, request.Method.ClassId);
        Assert.AreEqual("0-0:43.0.0.255", request.Method.InstanceId.ToString());
        Assert.AreEqual((sbyte)2, request.Method.MethodId);
        var keys = (DlmsArray)request.Parameters!;
        var entry = (DlmsStructure)keys.Items.Single();
        Assert.AreEqual(new DlmsEnum(0), entry.Items[0]);
        CollectionAssert.AreEqual(XdlmsVectors.WrappedKey, ((DlmsOctetString)entry.Items[1]).Value.ToArray());
    }

    [TestMethod]
    public void Decode_GetResponseWithDataBlock_ExposesBlockFields()
    {
        var block = GetResponse.Decode(XdlmsVectors.Hex("C4 02 81 01 00 00 01 00 00 03 AA BB CC")) as GetResponseWithDataBlock;
        Assert.IsNotNull(block);
        Assert.AreEqual((byte)0x81, block.InvokeIdAndPriority.Value);
        Assert.IsTrue(block.LastBlock);
        Assert.AreEqual(256u, block.BlockNumber);
        Assert.IsNull(block.AccessResult);
        CollectionAssert.AreEqual(new byte[] { 0xAA, 0xBB, 0xCC }, block.RawData.ToArray());
    }

    [TestMethod]
    public void Decode_ActionResponseWithData_ExposesReturnParameters()
    {
        var response = ActionResponse.Decode(XdlmsVectors.Hex("C7 01 C1 00 01 00 06 00 00 00 2A")) as ActionResponseNormal;
        Assert.IsNotNull(response);
        Assert.AreEqual(ActionResult.Success, response.Response.Result);
        Assert.IsTrue(response.Response.ReturnParameters!.HasData);
        Assert.AreEqual(new DlmsDoubleLongUnsigned(42), response.Response.ReturnParameters.Data);
    }

    [TestMethod]
    public void Decode_BooleanFieldsAnyNonZero_ReadAsTrueAndReencodeAsOne()
    {
        // A-XDR BOOLEAN: 0x00 false, any other value true (as AxdrDecoder reads boolean data).
        var block = (GetResponseWithDataBlock)XdlmsApduCodec.Decode(XdlmsVectors.Hex("C4 02 C1 FF 00 00 00 01 00 00"));
        Assert.IsTrue(block.LastBlock);
        Assert.AreEqual("C402C101000000010000", Convert.ToHexString(block.ToArray()));

        var get = (GetRequestNormal)XdlmsApduCodec.Decode(XdlmsVectors.Hex("C0 01 C1 00 08 00 00 01 00 00 FF 02 80 01 00"));
        Assert.IsNotNull(get.AccessSelection);
    }

    [TestMethod]
    public void DecodeTyped_WrongFamily_Throws()
    {
        byte[] setResponse = XdlmsVectors.Hex("C5 01 C1 00");
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => GetResponse.Decode(setResponse));
        Assert.AreEqual(0, ex.Offset);
        Assert.IsInstanceOfType<SetResponseNormal>(SetResponse.Decode(setResponse));
    }

    [TestMethod]
    public void Decode_BaseOffset_IsAddedToReportedOffsets()
    {
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => XdlmsApduCodec.Decode(XdlmsVectors.Hex("C4 01 C1 01 05"), baseOffset: 8));
        Assert.AreEqual(12, ex.Offset);
    }
}

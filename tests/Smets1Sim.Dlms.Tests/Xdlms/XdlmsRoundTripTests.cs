using System.Buffers;
using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

[TestClass]
public sealed class XdlmsRoundTripTests
{
    [TestMethod]
    public void RoundTrip_EveryProgrammaticApdu_DecodesToEqualRecordAndSameBytes()
    {
        int count = 0;
        foreach (XdlmsApdu apdu in XdlmsVectors.Programmatic())
        {
            byte[] encoded = apdu.ToArray();
            XdlmsApdu decoded = XdlmsApduCodec.Decode(encoded);
            Assert.AreEqual(apdu, decoded, apdu.GetType().Name);
            Assert.AreEqual(apdu.GetHashCode(), decoded.GetHashCode(), apdu.GetType().Name);
            CollectionAssert.AreEqual(encoded, decoded.ToArray(), apdu.GetType().Name);
            count++;
        }

        Assert.IsGreaterThanOrEqualTo(25, count);
    }

    [TestMethod]
    public void RoundTrip_EveryApduKind_IsCovered()
    {
        HashSet<Type> kinds = [.. XdlmsVectors.All.Select(v => v.Apdu.GetType()), .. XdlmsVectors.Programmatic().Select(a => a.GetType())];
        Type[] all = [.. typeof(XdlmsApdu).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(XdlmsApdu)) && !t.IsAbstract)];
        Assert.HasCount(30, all);
        foreach (Type type in all)
        {
            Assert.Contains(type, kinds, type.Name);
        }
    }

    [TestMethod]
    public void Encode_IntoSharedWriter_AppendsAfterExistingBytes()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 0xEE });
        new SetResponseNormal(XdlmsVectors.C1, DataAccessResult.Success).Encode(writer);
        Assert.AreEqual("EEC501C100", Convert.ToHexString(writer.WrittenSpan));
    }

    [TestMethod]
    public void Equality_ListsAndBlocks_CompareByContent()
    {
        var a = new GetRequestWithList(XdlmsVectors.C1, [new CosemAttributeDescriptor(8, XdlmsVectors.Clock, 2)]);
        var b = new GetRequestWithList(XdlmsVectors.C1, [new CosemAttributeDescriptor(8, XdlmsVectors.Clock, 2)]);
        var c = new GetRequestWithList(new InvokeIdAndPriority(0x81), [new CosemAttributeDescriptor(8, XdlmsVectors.Clock, 2)]);
        Assert.AreEqual(a, b);
        Assert.AreEqual(a.GetHashCode(), b.GetHashCode());
        Assert.AreNotEqual(a, c);

        var block1 = new SetRequestWithDatablock(XdlmsVectors.C1, new DataBlock(true, 1, new byte[] { 1, 2 }));
        var block2 = new SetRequestWithDatablock(XdlmsVectors.C1, new DataBlock(true, 1, new byte[] { 1, 2 }));
        var block3 = new SetRequestWithDatablock(XdlmsVectors.C1, new DataBlock(true, 1, new byte[] { 1, 3 }));
        Assert.AreEqual(block1, block2);
        Assert.AreNotEqual(block1, block3);
    }

    [TestMethod]
    public void Constructors_CallerBugs_ThrowArgumentExceptions()
    {
        var reg = new CosemAttributeDescriptor(3, XdlmsVectors.ActiveEnergyImport, 2);
        var method = new CosemMethodDescriptor(70, XdlmsVectors.DisconnectControl, 1);
        Assert.ThrowsExactly<ArgumentException>(() => new SetRequestWithList(XdlmsVectors.C1, [reg], []));
        Assert.ThrowsExactly<ArgumentException>(() => new ActionRequestWithList(XdlmsVectors.C1, [method], [DlmsValue.Null, DlmsValue.Null]));
        Assert.ThrowsExactly<ArgumentException>(() => new GetRequestWithList(XdlmsVectors.C1, default));
        Assert.ThrowsExactly<ArgumentException>(() => new GetResponseWithList(XdlmsVectors.C1, ImmutableArray.Create<GetDataResult>([null!])));
        Assert.ThrowsExactly<ArgumentNullException>(() => new GetRequestNormal(XdlmsVectors.C1, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => new SetRequestNormal(XdlmsVectors.C1, reg, null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => GetDataResult.FromData(null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new InvokeIdAndPriority(16, true, true));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new LongInvokeIdAndPriority(0x0100_0000, false, false, false, false));
    }

    [TestMethod]
    public void GetDataResult_Alternatives_AreDistinguished()
    {
        GetDataResult data = new DlmsUnsigned(1);
        GetDataResult error = DataAccessResult.ObjectUnavailable;
        Assert.IsTrue(data.HasData);
        Assert.AreEqual(DataAccessResult.Success, data.AccessResult);
        Assert.IsFalse(error.HasData);
        Assert.IsNull(error.Data);
        Assert.AreEqual(DataAccessResult.ObjectUnavailable, error.AccessResult);
        Assert.AreNotEqual(GetDataResult.FromError(DataAccessResult.Success), GetDataResult.FromData(DlmsValue.Null));
    }
}

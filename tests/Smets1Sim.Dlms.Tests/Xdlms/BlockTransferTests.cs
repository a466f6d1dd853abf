using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Dlms.Tests.Xdlms;

[TestClass]
public sealed class BlockTransferTests
{
    private const int Max = 16;

    private static byte[] Ramp(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31))];

    [TestMethod]
    [DataRow(0, 1)]
    [DataRow(1, 1)]
    [DataRow(Max - 1, 1)]
    [DataRow(Max, 1)]
    [DataRow(Max + 1, 2)]
    [DataRow(2 * Max, 2)]
    [DataRow(3 * Max, 3)]
    [DataRow((5 * Max) + 7, 6)]
    public void Split_ThenAssemble_GivesBackTheBytes(int length, int expectedBlocks)
    {
        byte[] data = Ramp(length);
        IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(data, Max);
        Assert.HasCount(expectedBlocks, blocks);
        var assembler = new BlockAssembler(maxTotalSize: 1024);
        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.AreEqual((uint)(i + 1), blocks[i].BlockNumber);
            Assert.AreEqual(i == blocks.Count - 1, blocks[i].LastBlock);
            Assert.IsLessThanOrEqualTo(Max, blocks[i].RawData.Length);
            Assert.AreEqual(i == blocks.Count - 1, assembler.Add(blocks[i]));
        }

        Assert.IsTrue(assembler.IsComplete);
        CollectionAssert.AreEqual(data, assembler.ToArray());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(200)]
    [DataRow(5000)]
    public void GetSplit_ThroughTheWire_ReassemblesTheValue(int octetStringLength)
    {
        DlmsValue value = DlmsValue.Structure(DlmsValue.OctetString(Ramp(octetStringLength)), new DlmsUnsigned(7));
        var invoke = new InvokeIdAndPriority(0xC1);
        IReadOnlyList<GetResponseWithDataBlock> responses = GetBlockTransfer.Split(invoke, value.ToArray(), 100);
        var assembler = new BlockAssembler(maxTotalSize: 1 << 20);
        foreach (GetResponseWithDataBlock response in responses)
        {
            // Each block crosses the wire: encode, decode, then feed the decoded copy.
            var received = (GetResponseWithDataBlock)XdlmsApduCodec.Decode(response.ToArray());
            Assert.AreEqual(invoke, received.InvokeIdAndPriority);
            Assert.AreEqual(assembler.NextBlockNumber, received.BlockNumber);
            assembler.Add(received);
            Assert.AreEqual(received.BlockNumber, assembler.LastBlockNumber);
        }

        Assert.IsTrue(assembler.IsComplete);
        Assert.AreEqual(value, assembler.DecodeValue());
    }

    [TestMethod]
    public void CreateResponses_SmallValue_IsOneNormalResponse()
    {
        IReadOnlyList<GetResponse> responses = GetBlockTransfer.CreateResponses(new InvokeIdAndPriority(0xC1), new DlmsUnsigned(5), 20);
        Assert.HasCount(1, responses);
        Assert.AreEqual("C401C1001105", Convert.ToHexString(responses[0].ToArray()));
    }

    [TestMethod]
    [DataRow(20)]
    [DataRow(139)]
    [DataRow(140)]
    [DataRow(500)]
    public void CreateResponses_LargeValue_EveryBlockFitsAndReassembles(int maxApduSize)
    {
        DlmsValue value = DlmsValue.Array([.. Enumerable.Range(0, 300).Select(i => (DlmsValue)new DlmsDoubleLongUnsigned((uint)i))]);
        IReadOnlyList<GetResponse> responses = GetBlockTransfer.CreateResponses(new InvokeIdAndPriority(0x81), value, maxApduSize);
        Assert.IsGreaterThan(1, responses.Count);
        var assembler = new BlockAssembler(maxTotalSize: 1 << 20);
        foreach (GetResponse response in responses)
        {
            Assert.IsLessThanOrEqualTo(maxApduSize, response.ToArray().Length);
            assembler.Add((GetResponseWithDataBlock)response);
        }

        Assert.AreEqual(value, assembler.DecodeValue());
    }

    [TestMethod]
    [DataRow(11, 1)]
    [DataRow(20, 10)]
    [DataRow(137, 127)]
    [DataRow(138, 127)]
    [DataRow(139, 128)]
    [DataRow(266, 255)]
    [DataRow(267, 255)]
    [DataRow(268, 256)]
    [DataRow(65547, 65535)]
    [DataRow(65548, 65535)]
    [DataRow(65549, 65535)]
    [DataRow(65550, 65536)]
    public void MaxBlockPayload_IsTheLargestRawDataThatFits(int maxApduSize, int expected)
    {
        int payload = GetBlockTransfer.MaxBlockPayload(maxApduSize);
        Assert.AreEqual(expected, payload);
        var invoke = new InvokeIdAndPriority(0xC1);
        Assert.IsLessThanOrEqualTo(maxApduSize, new GetResponseWithDataBlock(invoke, false, 1, new byte[payload]).ToArray().Length);
        Assert.IsGreaterThan(maxApduSize, new GetResponseWithDataBlock(invoke, false, 1, new byte[payload + 1]).ToArray().Length);
    }

    [TestMethod]
    public void MaxBlockPayload_TooSmallOrHuge_IsHandled()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => GetBlockTransfer.MaxBlockPayload(10));
        Assert.AreEqual(int.MaxValue - 14, GetBlockTransfer.MaxBlockPayload(int.MaxValue));
    }

    [TestMethod]
    [DataRow(new uint[] { 2 }, 0)]
    [DataRow(new uint[] { 0 }, 0)]
    [DataRow(new uint[] { 1, 1 }, 1)]
    [DataRow(new uint[] { 1, 3 }, 1)]
    [DataRow(new uint[] { 1, 2, 2 }, 2)]
    [DataRow(new uint[] { 1, 2, 1 }, 2)]
    public void Add_BlockOutOfSequence_ThrowsAndLeavesStateUnchanged(uint[] numbers, int failingIndex)
    {
        var assembler = new BlockAssembler(maxTotalSize: 100);
        for (int i = 0; i < failingIndex; i++)
        {
            assembler.Add(numbers[i], lastBlock: false, [(byte)i]);
        }

        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => assembler.Add(numbers[failingIndex], lastBlock: false, [0xEE]));
        Assert.Contains("out of sequence", ex.Reason);
        Assert.AreEqual((uint)failingIndex + 1, assembler.NextBlockNumber);
        Assert.AreEqual(failingIndex, assembler.Length);

        // The right block is still accepted after a rejected one.
        Assert.IsTrue(assembler.Add((uint)failingIndex + 1, lastBlock: true, [0xFF]));
        Assert.HasCount(failingIndex + 1, assembler.ToArray());
    }

    [TestMethod]
    public void Add_BeyondTotalSizeCap_ThrowsBeforeGrowing()
    {
        var assembler = new BlockAssembler(maxTotalSize: 10);
        assembler.Add(1, false, new byte[6]);
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => assembler.Add(2, true, new byte[5]));
        Assert.Contains("above the limit of 10", ex.Reason);
        Assert.AreEqual(6, assembler.Length);
        Assert.IsTrue(assembler.Add(2, true, new byte[4]));
        Assert.HasCount(10, assembler.ToArray());
    }

    [TestMethod]
    public void Add_FirstBlockAboveCap_Throws()
    {
        var assembler = new BlockAssembler(maxTotalSize: 0);
        Assert.ThrowsExactly<DlmsProtocolException>(() => assembler.Add(1, true, [1]));
        Assert.IsTrue(assembler.Add(1, true, []));
        Assert.HasCount(0, assembler.ToArray());
    }

    [TestMethod]
    public void Add_EmptyBlockThatIsNotLast_Throws()
    {
        var assembler = new BlockAssembler(maxTotalSize: 100);
        var ex = Assert.ThrowsExactly<DlmsProtocolException>(() => assembler.Add(1, false, []));
        Assert.Contains("empty", ex.Reason);
    }

    [TestMethod]
    public void Assembler_CallerMisuse_ThrowsInvalidOperationOrArgument()
    {
        var assembler = new BlockAssembler(maxTotalSize: 100);
        Assert.ThrowsExactly<InvalidOperationException>(() => assembler.ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => assembler.DecodeValue());
        Assert.ThrowsExactly<ArgumentException>(
            () => assembler.Add(new GetResponseWithDataBlock(new InvokeIdAndPriority(0xC1), true, 1, DataAccessResult.DataBlockUnavailable)));
        assembler.Add(1, true, [0x11, 0x05]);
        Assert.ThrowsExactly<InvalidOperationException>(() => assembler.Add(2, true, [1]));
        Assert.AreEqual(new DlmsUnsigned(5), assembler.DecodeValue());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new BlockAssembler(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => BlockTransfer.Split([1, 2], 0));
    }

    [TestMethod]
    public void DecodeValue_AssembledGarbage_ThrowsProtocolException()
    {
        var assembler = new BlockAssembler(maxTotalSize: 100);
        assembler.Add(1, true, [0x09, 0x05, 0x01]);
        Assert.ThrowsExactly<DlmsProtocolException>(() => assembler.DecodeValue());
    }

    [TestMethod]
    public void SetAndActionBlocks_SplitIntoApdus_ReassembleOnTheServer()
    {
        byte[] parameters = DlmsValue.Array([.. Enumerable.Range(0, 40).Select(i => (DlmsValue)DlmsValue.OctetString(Ramp(24)))]).ToArray();
        IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(parameters, 200);
        var invoke = new InvokeIdAndPriority(0xC1);
        var method = new CosemMethodDescriptor(64, XdlmsVectors.SecuritySetup, 2);
        List<ActionRequest> requests = [new ActionRequestWithFirstPblock(invoke, method, blocks[0])];
        requests.AddRange(blocks.Skip(1).Select(b => new ActionRequestWithPblock(invoke, b)));

        var server = new BlockAssembler(maxTotalSize: 4096);
        foreach (ActionRequest request in requests)
        {
            DataBlock block = XdlmsApduCodec.Decode(request.ToArray()) switch
            {
                ActionRequestWithFirstPblock first => first.Block,
                ActionRequestWithPblock next => next.Block,
                _ => throw new AssertFailedException("unexpected APDU"),
            };
            server.Add(block);
        }

        CollectionAssert.AreEqual(parameters, server.ToArray());
    }
}

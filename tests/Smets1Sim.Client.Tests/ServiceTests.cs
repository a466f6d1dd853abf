using System.Collections.Immutable;
using Smets1Sim.Client.Tests.Fakes;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

[TestClass]
public sealed class ServiceTests
{
    private static readonly CosemAttributeDescriptor EventLogBuffer = new(7, new ObisCode(0, 0, 99, 98, 0, 255), 2);
    private static readonly CosemAttributeDescriptor Clock = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);
    private static readonly CosemMethodDescriptor Disconnect = new(70, new ObisCode(0, 0, 96, 3, 10, 255), 1);

    private static DlmsValue BigValue(int items) =>
        DlmsValue.Array([.. Enumerable.Range(0, items).Select(i => (DlmsValue)DlmsValue.Structure(new DlmsDoubleLongUnsigned((uint)i), DlmsValue.VisibleString($"event {i}")))]);

    [TestMethod]
    [DataRow(false, DisplayName = "Public")]
    [DataRow(true, DisplayName = "HlsGmac")]
    public async Task GetAsync_ThreeBlocks_AcknowledgesEachAndDecodesTheWhole(bool ciphered)
    {
        await using ScriptedServer server = ScriptedServer.Start();
        DlmsValue value = BigValue(20);
        byte[] encoded = value.ToArray();
        int blockSize = (encoded.Length / 3) + 1;
        await using var client = new DlmsClient(ciphered ? Scenario.HlsOptions(server) : server.Options());
        var acknowledged = new List<uint>();

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered);
                await (ciphered ? session.AssociateHlsAsync(ct) : session.AssociatePublicAsync(ct));
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                IReadOnlyList<GetResponseWithDataBlock> blocks = GetBlockTransfer.Split(get.InvokeIdAndPriority, encoded, blockSize);
                Assert.HasCount(3, blocks);
                await session.ReplyAsync(blocks[0], ct);
                for (int i = 1; i < blocks.Count; i++)
                {
                    GetRequestNext next = await session.ReceiveRequestAsync<GetRequestNext>(ct);
                    Assert.AreEqual(get.InvokeIdAndPriority, next.InvokeIdAndPriority);
                    acknowledged.Add(next.BlockNumber);
                    await session.ReplyAsync(blocks[i], ct);
                }
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                GetDataResult result = await client.GetAsync(EventLogBuffer, null, ct);
                Assert.AreEqual(value, result.Data);
            });

        CollectionAssert.AreEqual(new uint[] { 1, 2 }, acknowledged);
    }

    [TestMethod]
    public async Task GetAsync_BlockTransferEndsWithAccessResult_ReturnsTheError()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseWithDataBlock(get.InvokeIdAndPriority, false, 1, new byte[] { 0x01, 0x05 }), ct);
                GetRequestNext next = await session.ReceiveRequestAsync<GetRequestNext>(ct);
                await session.ReplyAsync(new GetResponseWithDataBlock(next.InvokeIdAndPriority, true, 2, DataAccessResult.LongGetAborted), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                GetDataResult result = await client.GetAsync(EventLogBuffer, null, ct);
                Assert.IsFalse(result.HasData);
                Assert.AreEqual(DataAccessResult.LongGetAborted, result.AccessResult);
            });

        Assert.AreEqual(DlmsClientState.Associated, client.State);
    }

    [TestMethod]
    public async Task GetAsync_BlockOutOfSequence_ThrowsProtocolErrorAndBreaks()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestNormal get = await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseWithDataBlock(get.InvokeIdAndPriority, false, 2, new byte[] { 0x01 }), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsExactlyAsync<Dlms.DlmsProtocolException>(() => client.GetAsync(EventLogBuffer, null, ct));
            });

        Assert.IsTrue(client.IsBroken);
    }

    [TestMethod]
    public async Task GetWithListAsync_DirectAndInBlocks_ReturnsOneResultPerAttribute()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());
        ImmutableArray<GetDataResult> results = [GetDataResult.FromData(new DlmsLongUnsigned(7)), GetDataResult.FromError(DataAccessResult.ObjectUndefined)];

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                GetRequestWithList first = await session.ReceiveRequestAsync<GetRequestWithList>(ct);
                Assert.HasCount(2, first.Descriptors);
                await session.ReplyAsync(new GetResponseWithList(first.InvokeIdAndPriority, results), ct);

                // The same list again, this time in two blocks: the raw data is the list without the APDU header.
                GetRequestWithList second = await session.ReceiveRequestAsync<GetRequestWithList>(ct);
                byte[] listEncoding = new GetResponseWithList(second.InvokeIdAndPriority, results).ToArray()[3..];
                await session.ReplyAsync(new GetResponseWithDataBlock(second.InvokeIdAndPriority, false, 1, listEncoding.AsMemory(0, 4)), ct);
                GetRequestNext next = await session.ReceiveRequestAsync<GetRequestNext>(ct);
                Assert.AreEqual(1u, next.BlockNumber);
                await session.ReplyAsync(new GetResponseWithDataBlock(second.InvokeIdAndPriority, true, 2, listEncoding.AsMemory(4)), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                CosemAttributeDescriptorWithSelection[] attributes = [Clock, EventLogBuffer];
                CollectionAssert.AreEqual(results, (System.Collections.ICollection)await client.GetWithListAsync(attributes, ct));
                CollectionAssert.AreEqual(results, (System.Collections.ICollection)await client.GetWithListAsync(attributes, ct));
            });
    }

    [TestMethod]
    public async Task SetAsync_FitsOnePdu_SendsSetRequestNormal()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));
        DlmsValue time = DlmsValue.OctetString(TestKeys.Hex("07E9010103000000FF800000"));

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                SetRequestNormal set = await session.ReceiveRequestAsync<SetRequestNormal>(ct);
                Assert.AreEqual(Clock, set.Descriptor);
                Assert.AreEqual(time, set.Value);
                await session.ReplyAsync(new SetResponseNormal(set.InvokeIdAndPriority, DataAccessResult.Success), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Assert.AreEqual(DataAccessResult.Success, await client.SetAsync(Clock, time, null, ct));
            });
    }

    [TestMethod]
    public async Task SetAsync_LongerThanServerPdu_SendsBlocksThatEachFitAfterCiphering()
    {
        const ushort serverMaxPdu = 96;
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));
        DlmsValue value = BigValue(10);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true) { ServerMaxPdu = serverMaxPdu };
                await session.AssociateHlsAsync(ct);
                var assembler = new BlockAssembler(4096);
                SetRequestWithFirstDatablock first = await session.ReceiveRequestAsync<SetRequestWithFirstDatablock>(ct);
                Assert.IsLessThanOrEqualTo(serverMaxPdu, session.LastRequestWireLength);
                Assert.AreEqual(EventLogBuffer, first.Descriptor);
                DataBlock block = first.Block;
                while (!assembler.Add(block))
                {
                    await session.ReplyAsync(new SetResponseDatablock(first.InvokeIdAndPriority, block.BlockNumber), ct);
                    block = (await session.ReceiveRequestAsync<SetRequestWithDatablock>(ct)).Block;
                    Assert.IsLessThanOrEqualTo(serverMaxPdu, session.LastRequestWireLength);
                }

                Assert.IsGreaterThan(2u, block.BlockNumber, "several blocks");
                Assert.AreEqual(value, assembler.DecodeValue());
                await session.ReplyAsync(new SetResponseLastDatablock(first.InvokeIdAndPriority, DataAccessResult.Success, block.BlockNumber), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                Assert.AreEqual(DataAccessResult.Success, await client.SetAsync(EventLogBuffer, value, null, ct));
            });
    }

    [TestMethod]
    public async Task SetAsync_NeedsBlocksButNotGranted_ThrowsBeforeSending()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false)
                {
                    ServerMaxPdu = 64,
                    GrantedConformance = Conformance.Get | Conformance.Set,
                };
                await session.AssociatePublicAsync(ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => client.SetAsync(EventLogBuffer, BigValue(6), null, ct));
            });

        Assert.AreEqual(DlmsClientState.Associated, client.State, "nothing was sent, so nothing is out of sync");
    }

    [TestMethod]
    public async Task InvokeAsync_ReturnData_ReturnsResultAndData()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server));
        DlmsValue returned = new DlmsEnum(1);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true);
                await session.AssociateHlsAsync(ct);
                ActionRequestNormal action = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                Assert.AreEqual(Disconnect, action.Method);
                Assert.AreEqual(new DlmsInteger(0), action.Parameters);
                var response = new ActionResponseNormal(action.InvokeIdAndPriority, ActionResult.Success, GetDataResult.FromData(returned));
                Assert.AreEqual("C701C1000100" + "1601", Convert.ToHexString(response.ToArray()), "docs/dlms-wire.md: C7 01 invoke result 01 00 data");
                await session.ReplyAsync(response, ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                (ActionResult result, DlmsValue? data, DataAccessResult? error) = await client.InvokeAsync(Disconnect, new DlmsInteger(0), ct);
                Assert.AreEqual(ActionResult.Success, result);
                Assert.AreEqual(returned, data);
                Assert.IsNull(error);
            });
    }

    [TestMethod]
    public async Task InvokeAsync_ReturnDataInPblocks_AcknowledgesAndDecodes()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());
        DlmsValue returned = BigValue(10);
        byte[] encoded = returned.ToArray();
        var acknowledged = new List<uint>();

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                ActionRequestNormal action = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                IReadOnlyList<DataBlock> blocks = BlockTransfer.Split(encoded, 50);
                await session.ReplyAsync(new ActionResponseWithPblock(action.InvokeIdAndPriority, blocks[0]), ct);
                foreach (DataBlock block in blocks.Skip(1))
                {
                    ActionRequestNextPblock next = await session.ReceiveRequestAsync<ActionRequestNextPblock>(ct);
                    acknowledged.Add(next.BlockNumber);
                    await session.ReplyAsync(new ActionResponseWithPblock(action.InvokeIdAndPriority, block), ct);
                }
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                ActionInvocationResult result = await client.InvokeAsync(Disconnect, null, ct);
                Assert.IsTrue(result.IsSuccess);
                Assert.AreEqual(returned, result.ReturnData);
            });

        CollectionAssert.AreEqual(Enumerable.Range(1, acknowledged.Count).Select(i => (uint)i).ToList(), acknowledged);
        Assert.IsNotEmpty(acknowledged);
    }

    [TestMethod]
    public async Task InvokeAsync_ParametersLongerThanServerPdu_SendsPblocks()
    {
        const ushort serverMaxPdu = 80;
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(Scenario.HlsOptions(server, CipheringForm.GeneralGlobal));
        DlmsValue parameters = BigValue(5);

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: true) { ServerMaxPdu = serverMaxPdu };
                await session.AssociateHlsAsync(ct);
                var assembler = new BlockAssembler(4096);
                ActionRequestWithFirstPblock first = await session.ReceiveRequestAsync<ActionRequestWithFirstPblock>(ct);
                Assert.AreEqual(Disconnect, first.Method);
                DataBlock block = first.Block;
                while (!assembler.Add(block))
                {
                    Assert.IsLessThanOrEqualTo(serverMaxPdu, session.LastRequestWireLength);
                    await session.ReplyAsync(new ActionResponseNextPblock(first.InvokeIdAndPriority, block.BlockNumber), ct);
                    block = (await session.ReceiveRequestAsync<ActionRequestWithPblock>(ct)).Block;
                }

                Assert.AreEqual(parameters, assembler.DecodeValue());
                await session.ReplyAsync(new ActionResponseNormal(first.InvokeIdAndPriority, ActionResult.Success), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                ActionInvocationResult result = await client.InvokeAsync(Disconnect, parameters, ct);
                Assert.AreEqual(new ActionInvocationResult(ActionResult.Success), result);
            });
    }

    [TestMethod]
    public async Task InvokeAsync_IncrementInvokeId_EachRequestHasTheNextId()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options() with { IncrementInvokeId = true, InvokeId = 14, HighPriority = false });
        var seen = new List<byte>();

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                for (int i = 0; i < 3; i++)
                {
                    ActionRequestNormal action = await session.ReceiveRequestAsync<ActionRequestNormal>(ct);
                    seen.Add(action.InvokeIdAndPriority.Value);
                    await session.ReplyAsync(new ActionResponseNormal(action.InvokeIdAndPriority, ActionResult.Success), ct);
                }
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                for (int i = 0; i < 3; i++)
                {
                    await client.InvokeAsync(Disconnect, null, ct);
                }
            });

        CollectionAssert.AreEqual(new byte[] { 0x4E, 0x4F, 0x40 }, seen, "invoke-ids 14, 15, 0, confirmed, normal priority");
    }

    [TestMethod]
    public async Task GetAsync_ReplyWithOtherInvokeId_ThrowsProtocolErrorAndBreaks()
    {
        await using ScriptedServer server = ScriptedServer.Start();
        await using var client = new DlmsClient(server.Options());

        await Scenario.RunAsync(
            async ct =>
            {
                await using var session = new FakeServerSession(await server.AcceptAsync(ct), ciphered: false);
                await session.AssociatePublicAsync(ct);
                await session.ReceiveRequestAsync<GetRequestNormal>(ct);
                await session.ReplyAsync(new GetResponseNormal(new InvokeIdAndPriority(5, true, true), GetDataResult.FromData(new DlmsUnsigned(1))), ct);
            },
            async ct =>
            {
                await client.OpenAsync(ct);
                await Assert.ThrowsExactlyAsync<Dlms.DlmsProtocolException>(() => client.GetAsync(Clock, null, ct));
            });

        Assert.IsTrue(client.IsBroken);
    }
}

using System.Buffers.Binary;
using RxNet.Twisted;
using Xunit;
using static RxNet.Specs.Twisted.TestBasic.StringTransport;

namespace RxNet.Specs.Twisted.TestBasic;

/// <summary>
/// Twisted 22.4 <c>test_basic.IntNTestCaseMixin</c> (with <c>LPTestCaseMixin</c>) and <c>RecvdAttributeMixin</c>,
/// case for case, run by <see cref="Int32Tests"/>, <see cref="Int16Tests"/> and <see cref="Int8Tests"/> with each one's
/// vectors.
/// </summary>
/// <typeparam name="TReceiver">The receiver: Twisted's <c>TestInt32</c>, <c>TestInt16</c> or <c>TestInt8</c>.</typeparam>
public abstract class IntNTests<TReceiver>
    where TReceiver : IntNStringReceiver, IRecording, new()
{
    protected static readonly string[] Strings = ["a", new string('b', 16)];

    protected abstract string[] IllegalStrings { get; }

    protected abstract string[] PartialStrings { get; }

    [Fact]
    public void TestIllegal_EachIllegalStringByteByByte_Disconnects()
    {
        foreach (var s in IllegalStrings)
        {
            var (r, t) = GetProtocol();
            foreach (var c in Bytes(B(s)))
                r.DataReceived(c);
            Assert.True(t.Disconnecting(), s);
        }
    }

    [Fact]
    public void TestReceive_EachStringByteByByte_ReceivesTheStrings()
    {
        var (r, _) = GetProtocol();

        foreach (var s in Strings)
            foreach (var c in Bytes(MakeMessage(r, B(s))))
                r.DataReceived(c);

        Assert.Equal(Strings, r.Record.Received);
    }

    [Fact]
    public void TestPartial_EachPartialString_ReceivesNothing()
    {
        foreach (var s in PartialStrings)
        {
            var (r, _) = GetProtocol();
            foreach (var c in Bytes(B(s)))
                r.DataReceived(c);
            Assert.Empty(r.Record.Received);
        }
    }

    [Fact]
    public void TestSend_SixteenBytes_WritesThePrefixAndTheBytes()
    {
        var (r, t) = GetProtocol();

        r.SendString(B(new string('b', 16)));

        Assert.Equal(MakeMessage(r, B(new string('b', 16))), t.Value());
    }

    [Fact]
    public void TestLengthLimitExceeded_PrefixAboveMaxLength_CalledWithTheLength()
    {
        var (r, _) = GetProtocol();
        var length = new List<long>();
        r.Record.OnLengthLimitExceeded = length.Add;
        r.MaxLength = 10;

        r.DataReceived(Prefix(r, 11));

        Assert.Equal([11L], length);
    }

    [Fact]
    public void TestLongStringNotDelivered_PrefixAndStringAboveMaxLength_NotDelivered()
    {
        var (r, _) = GetProtocol();
        r.MaxLength = 10;

        r.DataReceived((byte[])[.. Prefix(r, 11), .. B(new string('x', 11))]);

        Assert.Empty(r.Record.Received);
    }

    [Fact]
    public void TestStringReceivedNotImplemented_StringReceivedIsAbstract()
    {
        // Python raises NotImplementedError when it is not overridden; C# does not compile a receiver without it.
        Assert.True(typeof(IntNStringReceiver).GetMethod(nameof(IntNStringReceiver.StringReceived))!.IsAbstract);
    }

    [Fact]
    public void TestRecvdContainsRemainingData_InStringReceived_RecvdIsTheIncompleteNextMessage()
    {
        var (r, _) = GetProtocol();
        var result = new List<string>();
        r.Record.OnString = _ => result.Add(S(r.Recvd));
        var completeMessage = MakeMessage(r, B("aaaaa"));
        byte[] incompleteMessage = [.. Prefix(r, 5), .. B("bbbb")];

        r.DataReceived((byte[])[.. completeMessage, .. incompleteMessage]);

        Assert.Equal([S(incompleteMessage)], result);
    }

    [Fact]
    public void TestRecvdChanged_SetInStringReceived_MessagesAreParsedFromTheNewValue()
    {
        var (r, _) = GetProtocol();
        var result = new List<string>();
        var messageC = MakeMessage(r, B("ccccc"));
        r.Record.OnString = received =>
        {
            if (result.Count == 0)
                r.Recvd = messageC;
            result.Add(S(received));
        };

        r.DataReceived((byte[])[.. MakeMessage(r, B("aaaaa")), .. MakeMessage(r, B("bbbbb"))]);

        Assert.Equal(["aaaaa", "ccccc"], result);
    }

    [Fact]
    public void TestSwitching_StringReceivedConsumesPartOfRecvd_NothingIsParsedTwice()
    {
        var (proto, _) = GetProtocol();
        var @switch = new byte[4];
        var mix = Strings.SelectMany(s => MakeMessage(proto, B(s)).Concat(@switch)).ToArray();
        var result = new List<string>();
        proto.Record.OnString = received =>
        {
            result.Add(S(received));
            proto.Recvd = proto.Recvd[@switch.Length..];
        };

        proto.DataReceived(mix);
        proto.DataReceived(new byte[] { 1 });

        Assert.Equal(Strings, result);
        Assert.Equal(new byte[] { 1 }, proto.Recvd.ToArray());
    }

    [Fact]
    public void TestRecvdInLengthLimitExceeded_InTheCallback_RecvdHoldsEverythingNotYetProcessed()
    {
        var (proto, _) = GetProtocol();
        var data = B("too long");
        proto.MaxLength = data.Length - 1;
        var message = MakeMessage(proto, data);
        var result = new List<object>();
        proto.Record.OnLengthLimitExceeded = length =>
        {
            result.Add(length);
            result.Add(proto.Recvd.ToArray());
        };

        proto.DataReceived(message);

        Assert.Equal((long)data.Length, result[0]);
        Assert.Equal(message, result[1]);
    }

    [Fact]
    public void TestData_SendAndReceive_UseTheWidthsPrefix()
    {
        var (r, t) = GetProtocol();

        r.SendString(B("foo"));
        Assert.Equal(MakeMessage(r, B("foo")), t.Value());
        r.DataReceived(MakeMessage(r, B("ubar")));

        Assert.Equal(["ubar"], r.Record.Received);
    }

    protected static (TReceiver Receiver, FakeConnection Transport) GetProtocol()
    {
        var receiver = new TReceiver();
        return (receiver, receiver.MakeConnection());
    }

    /// <summary>Twisted's <c>struct.pack(structFormat, length)</c>: big-endian, of the receiver's prefix width.</summary>
    protected static byte[] Prefix(IntNStringReceiver r, long length)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(prefix, length);
        return prefix[(8 - r.PrefixLength)..];
    }

    protected static byte[] MakeMessage(IntNStringReceiver r, byte[] data) => [.. Prefix(r, data.Length), .. data];
}

/// <summary>A receiver of the IntN tests, with its <see cref="StringRecorder"/>.</summary>
public interface IRecording
{
    /// <summary>What it received, and the callbacks a test replaced.</summary>
    StringRecorder Record { get; }
}

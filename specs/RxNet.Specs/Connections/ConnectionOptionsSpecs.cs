using Xunit;

namespace RxNet.Specs.Connections;

/// <summary>Flow-control limits: Pipelines' defaults, and a check that they make sense together.</summary>
public sealed class ConnectionOptionsSpecs
{
    [Fact]
    public void Default_FollowsPipelines_PausesAt64KiBAndResumesAt32KiB()
    {
        Assert.Equal(64 * 1024, ConnectionOptions.Default.HighWaterMark);
        Assert.Equal(32 * 1024, ConnectionOptions.Default.LowWaterMark);
        Assert.Equal(ConnectionOptions.Default, new ConnectionOptions());
    }

    [Fact]
    public void Validate_Defaults_DoesNotThrow()
    {
        var error = Record.Exception(ConnectionOptions.Default.Validate);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 100)]
    [InlineData(100, 0)]
    public void Validate_LowAtOrBelowHigh_DoesNotThrow(int high, int low)
    {
        var options = new ConnectionOptions { HighWaterMark = high, LowWaterMark = low };

        var error = Record.Exception(options.Validate);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(100, 101)]
    [InlineData(32 * 1024, 64 * 1024)]
    public void Validate_LowAboveHigh_ThrowsArgumentOutOfRange(int high, int low)
    {
        var options = new ConnectionOptions { HighWaterMark = high, LowWaterMark = low };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_NegativeLowMark_ThrowsArgumentOutOfRange()
    {
        var options = new ConnectionOptions { HighWaterMark = 10, LowWaterMark = -1 };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void Validate_NegativeHighMark_ThrowsArgumentOutOfRange()
    {
        var options = new ConnectionOptions { HighWaterMark = -1, LowWaterMark = 0 };

        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }
}

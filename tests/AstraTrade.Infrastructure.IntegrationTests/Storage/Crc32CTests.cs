using System.Text;
using AstraTrade.Infrastructure.Storage.Embedded;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Matches_the_published_check_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(expected, Crc32C.ComputeWithTable(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Thirty_two_zero_bytes_match_the_iscsi_test_vector()
    {
        // RFC 3720, appendix B.4.
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Fact]
    public void The_hardware_path_agrees_with_the_table_on_any_input()
    {
        Prop.ForAll<byte[]>(data => Crc32C.Compute(data) == Crc32C.ComputeWithTable(data))
            .QuickCheckThrowOnFailure();
    }
}

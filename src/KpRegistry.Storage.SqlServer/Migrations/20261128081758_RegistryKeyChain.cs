using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RegistryKeyChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_key_links",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    key_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    statement = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_key_links", x => x.sequence);
                    table.ForeignKey(
                        name: "FK_registry_key_links_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "keys",
                        principalColumn: "key_id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_key_links_key_id",
                table: "registry_key_links",
                column: "key_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_key_links");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TransparencyLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "log_checkpoints",
                columns: table => new
                {
                    tree_size = table.Column<long>(type: "INTEGER", nullable: false),
                    root_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: false),
                    published_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_checkpoints", x => x.tree_size);
                });

            migrationBuilder.CreateTable(
                name: "log_entries",
                columns: table => new
                {
                    leaf_index = table.Column<long>(type: "INTEGER", nullable: false),
                    entry = table.Column<byte[]>(type: "BLOB", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_entries", x => x.leaf_index);
                });

            migrationBuilder.CreateTable(
                name: "log_keys",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    origin = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    spki = table.Column<byte[]>(type: "BLOB", nullable: false),
                    sealed_private_key = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_keys", x => x.key_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "log_checkpoints");

            migrationBuilder.DropTable(
                name: "log_entries");

            migrationBuilder.DropTable(
                name: "log_keys");
        }
    }
}

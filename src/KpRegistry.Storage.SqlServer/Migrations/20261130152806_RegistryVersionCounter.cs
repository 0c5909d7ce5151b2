using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class RegistryVersionCounter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_version",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_version", x => x.id);
                });

            // The one row, starting where the version derived from the audit trail stood (the id of
            // the newest audit event not about a certificate), so a version never goes back.
            migrationBuilder.Sql("INSERT INTO [registry_version] ([id], [version]) SELECT 1, COALESCE(MAX([id]), 0) FROM [audit_events] WHERE [action] NOT LIKE N'certificate.%';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_version");
        }
    }
}

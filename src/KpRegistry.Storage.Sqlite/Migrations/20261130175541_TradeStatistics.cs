using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TradeStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "carats_received_hundredths",
                table: "import_confirmations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "mixed_origin",
                table: "certificates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "certificate_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    certificate_id = table.Column<long>(type: "INTEGER", nullable: false),
                    line_number = table.Column<int>(type: "INTEGER", nullable: false),
                    date_of_issue = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    issuing_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    destination_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    hs_code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    carats_hundredths = table.Column<long>(type: "INTEGER", nullable: false),
                    value_usd_cents = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_lines", x => x.id);
                    table.ForeignKey(
                        name: "FK_certificate_lines_certificates_certificate_id",
                        column: x => x.certificate_id,
                        principalTable: "certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "certificate_origins",
                columns: table => new
                {
                    certificate_id = table.Column<long>(type: "INTEGER", nullable: false),
                    country = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_certificate_origins", x => new { x.certificate_id, x.country });
                    table.ForeignKey(
                        name: "FK_certificate_origins_certificates_certificate_id",
                        column: x => x.certificate_id,
                        principalTable: "certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_statistics",
                table: "certificates",
                columns: new[] { "date_of_issue", "issuing_participant", "destination_participant", "total_carats_hundredths", "total_value_usd_cents" });

            migrationBuilder.CreateIndex(
                name: "IX_certificate_lines_certificate_id_line_number",
                table: "certificate_lines",
                columns: new[] { "certificate_id", "line_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_certificate_lines_statistics",
                table: "certificate_lines",
                columns: new[] { "date_of_issue", "issuing_participant", "destination_participant", "hs_code", "carats_hundredths", "value_usd_cents", "certificate_id", "line_number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "certificate_lines");

            migrationBuilder.DropTable(
                name: "certificate_origins");

            migrationBuilder.DropIndex(
                name: "IX_certificates_statistics",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "carats_received_hundredths",
                table: "import_confirmations");

            migrationBuilder.DropColumn(
                name: "mixed_origin",
                table: "certificates");
        }
    }
}

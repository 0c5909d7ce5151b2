using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CertificateLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "replaced_by",
                table: "revocations",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "replaces_certificate_number",
                table: "certificates",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "import_confirmations",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    certificate_id = table.Column<long>(type: "INTEGER", nullable: false),
                    envelope = table.Column<byte[]>(type: "BLOB", nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    importing_participant = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    importing_authority = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_confirmations", x => x.id);
                    table.ForeignKey(
                        name: "FK_import_confirmations_certificates_certificate_id",
                        column: x => x.certificate_id,
                        principalTable: "certificates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_import_confirmations_keys_key_id",
                        column: x => x.key_id,
                        principalTable: "keys",
                        principalColumn: "key_id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_import_confirmations_participants_importing_participant",
                        column: x => x.importing_participant,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_certificates_destination_participant_id",
                table: "certificates",
                columns: new[] { "destination_participant", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_import_confirmations_importing_participant",
                table: "import_confirmations",
                column: "importing_participant");

            migrationBuilder.CreateIndex(
                name: "IX_import_confirmations_key_id",
                table: "import_confirmations",
                column: "key_id");

            migrationBuilder.CreateIndex(
                name: "UX_import_confirmations_certificate",
                table: "import_confirmations",
                column: "certificate_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "import_confirmations");

            migrationBuilder.DropIndex(
                name: "IX_certificates_destination_participant_id",
                table: "certificates");

            migrationBuilder.DropColumn(
                name: "replaced_by",
                table: "revocations");

            migrationBuilder.DropColumn(
                name: "replaces_certificate_number",
                table: "certificates");
        }
    }
}

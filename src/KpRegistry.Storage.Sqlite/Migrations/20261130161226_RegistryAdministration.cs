using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KpRegistry.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistryAdministration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "zone_set_id",
                table: "zone_approvals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "participants",
                type: "TEXT",
                maxLength: 24,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "max_validity_months",
                table: "participants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "authority_removals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    authority_code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    effective_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authority_removals", x => x.id);
                    table.ForeignKey(
                        name: "FK_authority_removals_authorities_authority_code",
                        column: x => x.authority_code,
                        principalTable: "authorities",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "embargoes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    effective_to = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    destinations = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    origins = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    supersedes_id = table.Column<long>(type: "INTEGER", nullable: true),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_embargoes", x => x.id);
                    table.ForeignKey(
                        name: "FK_embargoes_embargoes_supersedes_id",
                        column: x => x.supersedes_id,
                        principalTable: "embargoes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_embargoes_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "licensing_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    licenses_exporters = table.Column<bool>(type: "INTEGER", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_licensing_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_licensing_events_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "zone_sets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    participant_code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    effective_from = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_zone_sets", x => x.id);
                    table.ForeignKey(
                        name: "FK_zone_sets_participants_participant_code",
                        column: x => x.participant_code,
                        principalTable: "participants",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_zone_approvals_zone_set_id",
                table: "zone_approvals",
                column: "zone_set_id");

            migrationBuilder.CreateIndex(
                name: "IX_authority_removals_authority_code",
                table: "authority_removals",
                column: "authority_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_embargoes_participant_code",
                table: "embargoes",
                column: "participant_code");

            migrationBuilder.CreateIndex(
                name: "IX_embargoes_supersedes_id",
                table: "embargoes",
                column: "supersedes_id");

            migrationBuilder.CreateIndex(
                name: "IX_licensing_events_participant_code",
                table: "licensing_events",
                column: "participant_code");

            migrationBuilder.CreateIndex(
                name: "IX_zone_sets_participant_code",
                table: "zone_sets",
                column: "participant_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "authority_removals");

            migrationBuilder.DropTable(
                name: "embargoes");

            migrationBuilder.DropTable(
                name: "licensing_events");

            migrationBuilder.DropTable(
                name: "zone_sets");

            migrationBuilder.DropIndex(
                name: "IX_zone_approvals_zone_set_id",
                table: "zone_approvals");

            migrationBuilder.DropColumn(
                name: "zone_set_id",
                table: "zone_approvals");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "participants");

            migrationBuilder.DropColumn(
                name: "max_validity_months",
                table: "participants");
        }
    }
}

"""The stations' subsidies are grants now (funds.0003 moved every one, with its history): the
table goes. Going back recreates it empty, and funds.0003 going back fills it again."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0003_portfolio_minimums"),
        ("funds", "0003_subsidies_from_stations"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalstationsubsidy", name="history_user"),
        migrations.RemoveField(model_name="historicalstationsubsidy", name="policy"),
        migrations.RemoveField(model_name="historicalstationsubsidy", name="station"),
        migrations.RemoveIndex(model_name="stationsubsidy", name="stations_st_year_9a510c_idx"),
        migrations.RemoveConstraint(
            model_name="stationsubsidy", name="one_subsidy_per_station_and_policy"
        ),
        migrations.DeleteModel(name="HistoricalStationSubsidy"),
        migrations.DeleteModel(name="StationSubsidy"),
    ]

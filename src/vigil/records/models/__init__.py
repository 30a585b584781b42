from vigil.records.models.claims import Claim
from vigil.records.models.persons import IdentityNumber, Name, NameKey, Person
from vigil.records.models.testimonies import Testifier, Testimony, TestimonyPerson

__all__ = ["Claim", "IdentityNumber", "Name", "NameKey", "Person", "Testifier", "Testimony", "TestimonyPerson"]

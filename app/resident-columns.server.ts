/**
 * A resident's details as the roster, the field pages and the data download read them: name,
 * birth year, phone and the four group flags (ResidentDetails in ~/forms/field). Spread it into a
 * select and add what that read needs besides.
 */
import { residents } from "@db/schema";

export const residentDetailColumns = {
  fullName: residents.fullName,
  birthYear: residents.birthYear,
  phone: residents.phone,
  isHighSchoolStudent: residents.isHighSchoolStudent,
  isEnterpriseWorker: residents.isEnterpriseWorker,
  isFreelanceWorker: residents.isFreelanceWorker,
  isSmallTrader: residents.isSmallTrader,
};
